"""Regenerate the default template shipped in the wheel: python -m workplan_xl.word_report"""

from workplan_xl.word_report.template import build_default_template

if __name__ == "__main__":
    print(build_default_template())

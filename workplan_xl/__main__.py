from workplan_xl.cli import cli

cli(prog_name="wpx")

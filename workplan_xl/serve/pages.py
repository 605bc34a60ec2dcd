"""The pages, as Jinja templates (autoescaped: every file name and message from an upload is shown as
text, never as markup). Plain HTML forms and one small stylesheet, no JavaScript: they work on a phone
and in the old browsers offices still run."""

from __future__ import annotations

STYLE = """
body{font-family:"Microsoft YaHei","PingFang SC","Noto Sans CJK SC",sans-serif;margin:0;padding:0 12px 24px;
color:#222;background:#f6f7f9;line-height:1.6;font-size:16px}
.wrap{max-width:960px;margin:0 auto}
h1{font-size:22px;margin:16px 0 8px}h2{font-size:18px;margin:20px 0 8px}
.box{background:#fff;border:1px solid #dde;border-radius:6px;padding:12px 14px;margin:10px 0}
.ok{border-left:6px solid #2e7d32}.warn{border-left:6px solid #ef8f00}.bad{border-left:6px solid #c62828}
table{border-collapse:collapse;width:100%;background:#fff}
th,td{border:1px solid #dde;padding:6px 8px;text-align:left;vertical-align:top;font-size:15px}
th{background:#eef1f5}
.s-未报{color:#c62828;font-weight:bold}.s-有问题{color:#c62828}.s-部分填报{color:#ef8f00}.s-已报{color:#2e7d32}
input[type=file]{font-size:16px;margin:8px 0;max-width:100%}
button,.button{font-size:17px;padding:8px 18px;border:0;border-radius:4px;background:#1565c0;color:#fff;
text-decoration:none;display:inline-block;margin:6px 0}
textarea{width:100%;font-size:14px;min-height:12em}
.muted{color:#666;font-size:14px}.nowrap{white-space:nowrap}.nav a{margin-right:14px}
@media (max-width:600px){th,td{font-size:14px;padding:4px}}
"""

_HEAD = """<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
{% if refresh %}<meta http-equiv="refresh" content="{{ refresh }}">{% endif %}
<title>{{ title }}</title><link rel="stylesheet" href="/style.css"></head>
<body><div class="wrap">
"""
_FOOT = "</div></body></html>"

UNIT = _HEAD + """
<h1>{{ plan_title }}</h1>
<p>填报单位：<b>{{ unit.name }}</b>（{{ unit.code }}）　批次：{{ round or "未分批次" }}</p>
{% if feedback %}
<div class="box {{ 'ok' if feedback.outcome == '已采用' and not feedback.problems else ('bad' if feedback.outcome in ('有问题', '未采用') else 'warn') }}"
 id="feedback">
<h2>{{ feedback.outcome }}：{{ feedback.file }}</h2>
<p>{{ feedback.message }}</p>
{% if feedback.problems %}<table><tr><th>单元格</th><th>问题</th><th>怎么办</th></tr>
{% for cell, problem, action in feedback.problems %}<tr><td>{{ cell or "—" }}</td><td>{{ problem }}</td><td>{{ action }}</td></tr>{% endfor %}
</table>{% endif %}
</div>
{% endif %}
<div class="box">
<h2>上传填好的填报表</h2>
<form method="post" action="/u/{{ token }}" enctype="multipart/form-data">
<input type="hidden" name="csrf" value="{{ csrf }}">
<input type="file" name="file" accept=".xlsx,.xls,.xlsm,.ods,.et" required><br>
<button type="submit">上传并检查</button>
<p class="muted">支持 .xlsx、.xls、.ods、.et，单个文件不超过 {{ max_mb }} MB。上传后几秒内显示检查结果；可以多次上传，以最后一次采用的为准。</p>
</form>
</div>
<div class="box">
<h2>督导室目前收到的本单位回表</h2>
{% if report %}<p>状态：<span class="s-{{ report.state }}" id="state">{{ report.state }}</span>
{% if report.file %}　采用/最近的文件：{{ report.file }}（{{ report.received | replace("T", " ") }}）{% endif %}</p>{% endif %}
{% if history %}<table><tr><th>收到时间</th><th>文件</th><th>结果</th></tr>
{% for s in history %}<tr><td>{{ s.received | replace("T", " ") }}</td><td>{{ s.file }}</td><td>{{ s.status }}{% if s.reason %}：{{ s.reason }}{% endif %}</td></tr>{% endfor %}
</table>{% else %}<p class="muted">还没有收到。</p>{% endif %}
</div>
<p class="muted">这个网址是本单位专用的，请不要转发给其他单位。</p>
""" + _FOOT

OFFICE = _HEAD + """
<h1>{{ plan_title }}：报送情况</h1>
<p class="nav"><a href="/office">刷新</a><a href="/office/remind">催报名单</a><a href="/office/summary.xlsx">下载汇总.xlsx</a>
<a href="/office/links.csv">各单位填报链接（CSV）</a></p>
<p>批次「{{ round or "未分批次" }}」：应报 {{ counts.total }} 个单位，{% for label, n in counts.by_state %}{{ label }} {{ n }} 个{% if not loop.last %}，{% endif %}{% endfor %}。
<span class="muted">（每 60 秒自动刷新）</span></p>
<table id="units"><tr><th>单位</th><th>状态</th><th>采用/最近的文件</th><th>收到时间</th><th>问题</th></tr>
{% for u in units %}<tr><td><a href="/office/unit/{{ u.unit.code }}">{{ u.unit.name }}</a>（{{ u.unit.code }}）</td>
<td class="s-{{ u.state }} nowrap">{{ u.state }}</td><td>{{ u.file }}</td><td>{{ u.received | replace("T", " ") }}</td><td>{{ u.problems | join("；") }}</td></tr>
{% endfor %}</table>
""" + _FOOT

HISTORY = _HEAD + """
<h1>{{ unit.name }}（{{ unit.code }}）</h1>
<p class="nav"><a href="/office">返回报送情况</a></p>
<p>联系人：{{ unit.contact or "—" }}　电话：{{ unit.phone or "—" }}</p>
<p>状态：<span class="s-{{ report.state }}">{{ report.state }}</span></p>
{% if new_link %}<div class="box warn" id="new-link">新链接（旧链接已作废，请把新链接发给该单位）：{{ new_link }}</div>
<p>链接表已更新：{{ links }}{% if backup %}；原来的链接表（可能加过备注）已移到：{{ backup }}{% endif %}</p>{% endif %}
<form method="post" action="/office/unit/{{ unit.code }}/new-link">
<input type="hidden" name="csrf" value="{{ csrf }}">
<button type="submit">换新链接（链接泄露时用，旧链接立即作废）</button></form>
<table><tr><th>收到时间</th><th>文件</th><th>结果</th></tr>
{% for s in history %}<tr><td>{{ s.received | replace("T", " ") }}</td><td>{{ s.file }}</td><td>{{ s.status }}{% if s.reason %}：{{ s.reason }}{% endif %}</td></tr>
{% else %}<tr><td colspan="3">还没有收到。</td></tr>{% endfor %}</table>
""" + _FOOT

REMIND = _HEAD + """
<h1>催报名单</h1>
<p class="nav"><a href="/office">返回报送情况</a></p>
<p>下面是还没有报、报了有问题或只填了一部分的 {{ count }} 个单位，可以整段复制到微信、短信或邮件里：</p>
<textarea id="remind" readonly>{{ text }}</textarea>
""" + _FOOT

LOGIN = _HEAD + """
<h1>督导室登录</h1>
{% if error %}<div class="box bad">{{ error }}</div>{% endif %}
<form method="post" action="/office/login" class="box">
<input type="hidden" name="csrf" value="{{ csrf }}">
<label>密码：<input type="password" name="password" autofocus required></label>
<button type="submit">登录</button></form>
""" + _FOOT

MESSAGE = _HEAD + """
<div class="box bad"><h1>{{ title }}</h1><p>{{ message }}</p></div>
""" + _FOOT

"""Fixed Chinese words that reach the screen from below the UI, listed for pyside6-lupdate so they
have translations in the .ts files: the 办事指南 element names (kiosk/services/guide.py ELEMENTS), the
guide-at-a-glance labels, the home screen's department groups (kiosk/ui/icons.py GROUPS), the
catalogue's departments and the payment methods (kiosk/services/receipts.py PAYMENT_METHODS). The UI
shows them through `tr()`; tests/ui/test_languages.py checks this list against its sources, so a new
department or element without a translation fails.
"""

from __future__ import annotations


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # noqa: N802 (the name lupdate looks for)
    return text


WORDS = (
    QT_TRANSLATE_NOOP("", "受理条件"),
    QT_TRANSLATE_NOOP("", "申请材料"),
    QT_TRANSLATE_NOOP("", "办理流程"),
    QT_TRANSLATE_NOOP("", "法定办结时限"),
    QT_TRANSLATE_NOOP("", "承诺办结时限"),
    QT_TRANSLATE_NOOP("", "收费标准"),
    QT_TRANSLATE_NOOP("", "办理结果"),
    QT_TRANSLATE_NOOP("", "设定依据"),
    QT_TRANSLATE_NOOP("", "办理地点"),
    QT_TRANSLATE_NOOP("", "办理时间"),
    QT_TRANSLATE_NOOP("", "咨询电话"),
    QT_TRANSLATE_NOOP("", "投诉电话"),
    QT_TRANSLATE_NOOP("", "常见问题"),
    QT_TRANSLATE_NOOP("", "办理部门"),
    QT_TRANSLATE_NOOP("", "承诺时限"),
    QT_TRANSLATE_NOOP("", "收费"),
    QT_TRANSLATE_NOOP("", "到现场"),
    QT_TRANSLATE_NOOP("", "即办"),
    QT_TRANSLATE_NOOP("", "不收费"),
    QT_TRANSLATE_NOOP("", "按指南"),
    QT_TRANSLATE_NOOP("", "其他"),
    QT_TRANSLATE_NOOP("", "社保就业"),
    QT_TRANSLATE_NOOP("", "医疗保障"),
    QT_TRANSLATE_NOOP("", "户籍证件"),
    QT_TRANSLATE_NOOP("", "民政救助"),
    QT_TRANSLATE_NOOP("", "水电气"),
    QT_TRANSLATE_NOOP("", "公积金"),
    QT_TRANSLATE_NOOP("", "卫生健康"),
    QT_TRANSLATE_NOOP("", "税务"),
    QT_TRANSLATE_NOOP("", "交通出行"),
    QT_TRANSLATE_NOOP("", "农业农村"),
    QT_TRANSLATE_NOOP("", "残疾人服务"),
    QT_TRANSLATE_NOOP("", "教育"),
    QT_TRANSLATE_NOOP("", "不动产"),
    QT_TRANSLATE_NOOP("", "出入境"),
    QT_TRANSLATE_NOOP("", "退役军人"),
    QT_TRANSLATE_NOOP("", "法律服务"),
    QT_TRANSLATE_NOOP("", "村级证明"),
    QT_TRANSLATE_NOOP("", "交警"),
    QT_TRANSLATE_NOOP("", "人社"),
    QT_TRANSLATE_NOOP("", "供水"),
    QT_TRANSLATE_NOOP("", "供电"),
    QT_TRANSLATE_NOOP("", "公安"),
    QT_TRANSLATE_NOOP("", "医保"),
    QT_TRANSLATE_NOOP("", "卫健"),
    QT_TRANSLATE_NOOP("", "司法"),
    QT_TRANSLATE_NOOP("", "村委会"),
    QT_TRANSLATE_NOOP("", "残联"),
    QT_TRANSLATE_NOOP("", "民政"),
    QT_TRANSLATE_NOOP("", "燃气"),
    QT_TRANSLATE_NOOP("", "自然资源"),
    QT_TRANSLATE_NOOP("", "微信支付"),
    QT_TRANSLATE_NOOP("", "支付宝"),
    QT_TRANSLATE_NOOP("", "云闪付（银联）"),
)

"""Home (main, departments, one department, attract), search (empty, ylrz, no result) and the guide
of the item found, and home with the offline banner."""

from __future__ import annotations

from kiosk.ui import countdown, find
from tools.shots.kit import Kit


def shots(kit: Kit) -> None:
    home = kit.runner.home
    kit.until(lambda: home.index is not None, "the search index")
    kit.shot("home-01-main")
    more = [t for t in ("全部部门", "更多业务") if find.tap_targets(kit.window, t)]
    if more:  # else every department shows on the main page already
        kit.tap(more[0])
        kit.shot("home-02-departments")
    kit.tap("社保就业")
    kit.shot("home-03-department")
    kit.home()
    countdown.advance_all(home.timer.seconds)  # nobody touched home: the attract page
    kit.until(lambda: home.page_name() == "attract", "the attract page")
    kit.shot("home-04-attract")
    kit.tap("轻触屏幕开始")
    kit.tap("搜索业务")
    kit.shot("home-05-search-empty")
    for key in "YLRZ":
        kit.tap(key)
    kit.shot("home-06-search-ylrz")
    kit.tap("养老待遇资格认证")
    kit.screen("guide")
    kit.shot("home-07-guide-found")
    kit.runner.steps["guide"].scroll.down.click()
    kit.shot("home-08-guide-page-2")
    kit.home()
    kit.tap("搜索业务")
    for key in "QQQ":
        kit.tap(key)
    kit.shot("home-09-search-nothing")
    kit.home()
    kit.window.set_status("网络中断", offline=True)
    kit.shot("home-10-offline")
    kit.window.set_status("已连接政务服务平台", offline=False)
    kit.home()

// The on-screen keyboard (kiosk/ui/keyboard.py): Qt Virtual Keyboard's InputPanel, pinyin first,
// inside the kiosk window's QQuickWidget. `host` is the Python side (a context property).
import QtQuick
import QtQuick.VirtualKeyboard
import QtQuick.VirtualKeyboard.Settings

Item {
    id: root
    property real maxPanelWidth: 1100
    property bool panelActive: panel.active

    InputPanel {
        id: panel
        width: Math.min(root.width, root.maxPanelWidth)
        anchors.horizontalCenter: parent.horizontalCenter
        anchors.bottom: parent.bottom
        onActiveChanged: host.panelChanged(panel.active, panel.height)
        onHeightChanged: host.panelChanged(panel.active, panel.height)
    }

    Component.onCompleted: {
        VirtualKeyboardSettings.activeLocales = ["zh_CN", "en_US"]
        VirtualKeyboardSettings.locale = "zh_CN"
        VirtualKeyboardSettings.closeOnReturn = false
        host.panelChanged(panel.active, panel.height)
    }

    // ---- what tests and the scenario runner read (they tap keys like a finger does) ----------
    function keys() {
        var out = []
        function walk(item) {
            for (var i = 0; i < item.children.length; i++) {
                var c = item.children[i]
                if (!c.visible)
                    continue
                if (c.key !== undefined && c.displayText !== undefined && c.enabled) {
                    var p = c.mapToItem(root, c.width / 2, c.height / 2)
                    out.push({"text": String(c.displayText || c.text || ""), "key": c.key,
                              "x": p.x, "y": p.y})
                }
                walk(c)
            }
        }
        walk(panel)
        return out
    }

    function candidates() {
        var m = InputContext.inputEngine.wordCandidateListModel
        var out = []
        for (var i = 0; i < m.count; i++)
            out.push(String(m.dataAt(i, 0)))
        return out
    }

    // What a tap on the candidate bar's entry does.
    function choose(index) {
        InputContext.inputEngine.wordCandidateListModel.selectItem(index)
        return true
    }

    function preedit() { return InputContext.preeditText }
    function locale() { return InputContext.locale }
    function reset() { InputContext.clear(); return true }  // drop the composition (pinyin typed so far)
}

<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
<context>
    <name>ApplicantForm</name>
    <message>
        <location filename="../../studio_app/ui/applicant_form.py" line="40"/>
        <source>申请人姓名</source>
        <translation>Applicant&apos;s name</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/applicant_form.py" line="43"/>
        <source>18 位身份证号码</source>
        <translation>18-character ID number</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/applicant_form.py" line="46"/>
        <source>（选择省份）</source>
        <translation>(choose a province)</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/applicant_form.py" line="51"/>
        <source>城市，如 深圳市</source>
        <translation>City, e.g. 深圳市</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/applicant_form.py" line="53"/>
        <source>手机号（可选）</source>
        <translation>Mobile (optional)</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/applicant_form.py" line="60"/>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/applicant_form.py" line="62"/>
        <source>身份证号</source>
        <translation>ID number</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/applicant_form.py" line="64"/>
        <source>省份</source>
        <translation>Province</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/applicant_form.py" line="65"/>
        <source>城市</source>
        <translation>City</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/applicant_form.py" line="67"/>
        <source>电话</source>
        <translation>Phone</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/applicant_form.py" line="142"/>
        <location filename="../../studio_app/ui/applicant_form.py" line="149"/>
        <source>必填</source>
        <translation>Required</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/applicant_form.py" line="153"/>
        <source>电话号码格式不正确</source>
        <translation>The phone number is not valid</translation>
    </message>
</context>
<context>
    <name>ChecklistPanel</name>
    <message>
        <location filename="../../studio_app/ui/checklist.py" line="46"/>
        <source>检查项目</source>
        <translation>Checks</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/checklist.py" line="50"/>
        <source>项目</source>
        <translation>Check</translation>
    </message>
    <message>
        <source>测量值 / 要求</source>
        <translation type="vanished">Measured / required</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/checklist.py" line="50"/>
        <source>实测（要求）</source>
        <translation>Measured (required)</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/checklist.py" line="114"/>
        <source>未检测到人脸</source>
        <translation>No face detected</translation>
    </message>
    <message numerus="yes">
        <location filename="../../studio_app/ui/checklist.py" line="116"/>
        <source>%n 项不合格</source>
        <translation>
            <numerusform>%n check failed</numerusform>
            <numerusform>%n checks failed</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../studio_app/ui/checklist.py" line="116"/>
        <source>，%n 项提醒</source>
        <translation>
            <numerusform>, %n warning</numerusform>
            <numerusform>, %n warnings</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../studio_app/ui/checklist.py" line="118"/>
        <source>全部通过，%n 项提醒</source>
        <translation>
            <numerusform>All pass, %n warning</numerusform>
            <numerusform>All pass, %n warnings</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/checklist.py" line="120"/>
        <source>全部通过</source>
        <translation>All checks pass</translation>
    </message>
</context>
<context>
    <name>DonePanel</name>
    <message>
        <location filename="../../studio_app/ui/main_window.py" line="92"/>
        <source>打印照片排版 (Ctrl+P)</source>
        <translation>Print photo sheet (Ctrl+P)</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/main_window.py" line="93"/>
        <source>打印回执</source>
        <translation>Print receipt</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/main_window.py" line="94"/>
        <source>打开输出文件夹</source>
        <translation>Open output folder</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/main_window.py" line="95"/>
        <source>下一位顾客 (N)</source>
        <translation>Next customer (N)</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/main_window.py" line="120"/>
        <source>已登记为不合格：%1</source>
        <translation>Recorded as rejected: %1</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/main_window.py" line="122"/>
        <source>已完成：回执号 %1</source>
        <translation>Done: receipt no. %1</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/main_window.py" line="132"/>
        <source>图像号 %1</source>
        <translation>Image no. %1</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/main_window.py" line="135"/>
        <source>（未生成文件）</source>
        <translation>(no files written)</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/done_panel.py" line="0"/>
        <source>混排版面打印（1寸 + 2寸 …）</source>
        <translation>Print a mixed sheet (1-inch + 2-inch …)</translation>
    </message>
</context>
<context>
    <name>HistoryDialog</name>
    <message>
        <location filename="../../studio_app/ui/history.py" line="69"/>
        <source>历史记录</source>
        <translation>History</translation>
    </message>
    <message>
        <source>回执号、姓名、城市或电话</source>
        <translation type="vanished">Receipt no., name, city or phone</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/history.py" line="72"/>
        <source>回执号、取件码、姓名、电话（输入部分即可）或城市</source>
        <translation>Receipt no., pick-up code, name, phone (part is enough) or city</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/history.py" line="73"/>
        <source>取件码是自助机给顾客的 5 位号码（回执号的最后 5 位），今天的订单排在最前；也可输入完整身份证号</source>
        <translation>The pick-up code is the 5-character code the kiosk gives the customer (the last 5 of the receipt number); today&apos;s orders come first. A full ID number also works.</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/history.py" line="76"/>
        <source>日期</source>
        <translation>Dates</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/history.py" line="86"/>
        <source>全部状态</source>
        <translation>All statuses</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/history.py" line="97"/>
        <source>回执号</source>
        <translation>Receipt no.</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/history.py" line="97"/>
        <source>拍摄时间</source>
        <translation>Taken</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/history.py" line="97"/>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/history.py" line="98"/>
        <source>规格</source>
        <translation>Document</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/history.py" line="98"/>
        <source>城市</source>
        <translation>City</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/history.py" line="98"/>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/history.py" line="108"/>
        <location filename="../../studio_app/ui/history.py" line="206"/>
        <source>重印回执</source>
        <translation>Reprint receipt</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/history.py" line="109"/>
        <source>重印照片</source>
        <translation>Reprint photo</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/history.py" line="110"/>
        <source>重新提交（重拍）</source>
        <translation>Resubmit (retake)</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/history.py" line="111"/>
        <source>打开文件夹</source>
        <translation>Open folder</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/history.py" line="112"/>
        <location filename="../../studio_app/ui/history.py" line="247"/>
        <location filename="../../studio_app/ui/history.py" line="282"/>
        <source>删除此订单</source>
        <translation>Delete this order</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/history.py" line="114"/>
        <source>应顾客要求，立即删除此订单的个人信息和照片（无法撤销）</source>
        <translation>Erase this order&apos;s personal data and photos now, at the customer&apos;s request (cannot be undone)</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/history.py" line="117"/>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message numerus="yes">
        <location filename="../../studio_app/ui/history.py" line="173"/>
        <source>共 %n 条</source>
        <translation>
            <numerusform>%n order</numerusform>
            <numerusform>%n orders</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/history.py" line="249"/>
        <source>删除订单 %1（%2）的个人信息和照片？</source>
        <translation>Delete the personal data and photos of order %1 (%2)?</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/history.py" line="250"/>
        <source>姓名、身份证号、电话、照片和回执文件将立即安全删除，只保留回执号和日期。此操作无法撤销。</source>
        <translation>Name, ID number, phone, photos and receipt files are securely deleted now; only the receipt number and dates stay. This cannot be undone.</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/history.py" line="252"/>
        <source>关联订单 %1 属于同一申请人，不会一并删除；如顾客要求，请分别删除。</source>
        <translation>Linked orders %1 belong to the same applicant and are not deleted with it; delete them one by one if the customer asks.</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/history.py" line="255"/>
        <source>删除 %1</source>
        <translation>Delete %1</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/history.py" line="256"/>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/history.py" line="285"/>
        <source>订单 %1 的个人信息已删除</source>
        <translation>Personal data of order %1 deleted</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/history.py" line="287"/>
        <source>（文件在工位 %1 上，该工位下次清理时删除）</source>
        <translation> (the files are on station %1 and go at its next clean-up)</translation>
    </message>
</context>
<context>
    <name>LiveView</name>
    <message>
        <location filename="../../studio_app/ui/live_view.py" line="119"/>
        <source>等待画面…</source>
        <translation>Waiting for the picture…</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/live_view.py" line="131"/>
        <source>头顶</source>
        <translation>crown</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/live_view.py" line="131"/>
        <source>眼睛</source>
        <translation>eyes</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/live_view.py" line="131"/>
        <source>下巴</source>
        <translation>chin</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../studio_app/ui/main_layout.py" line="107"/>
        <source>核验回执</source>
        <translation>Check a receipt</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/main_window.py" line="186"/>
        <source>证件照采集工作站</source>
        <translation>ID Photo Capture Station</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/main_window.py" line="223"/>
        <source>启动提示</source>
        <translation>Start-up notes</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/main_window.py" line="224"/>
        <source>以下问题不影响使用，相关项目已跳过：</source>
        <translation>These problems do not stop the station; the items concerned were skipped:</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/main_window.py" line="239"/>
        <source>拍照 (空格)</source>
        <translation>Capture (Space)</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/main_window.py" line="207"/>
        <location filename="../../studio_app/ui/source_switching.py" line="226"/>
        <source>拍摄中…</source>
        <translation>Shooting…</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/main_window.py" line="243"/>
        <source>自动拍照（检查全部通过时倒计时）</source>
        <translation>Auto-capture (countdown when every check passes)</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/main_window.py" line="287"/>
        <source>工具栏</source>
        <translation>Toolbar</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/main_window.py" line="291"/>
        <source> 证件规格 </source>
        <translation> Document </translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/main_window.py" line="312"/>
        <source>拍照</source>
        <translation>Capture</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/main_window.py" line="313"/>
        <source>历史记录</source>
        <translation>History</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/main_window.py" line="314"/>
        <location filename="../../studio_app/ui/main_window.py" line="852"/>
        <location filename="../../studio_app/ui/main_window.py" line="861"/>
        <source>设置</source>
        <translation>Settings</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/main_window.py" line="315"/>
        <source>切换视频源</source>
        <translation>Video source</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/main_window.py" line="316"/>
        <source>输出文件夹</source>
        <translation>Output folder</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/main_window.py" line="317"/>
        <source>打印</source>
        <translation>Print</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/main_window.py" line="318"/>
        <source>退出</source>
        <translation>Quit</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/main_window.py" line="319"/>
        <source>全屏</source>
        <translation>Full screen</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/main_window.py" line="361"/>
        <source>未找到相机，正在使用演示画面</source>
        <translation>No camera found; showing the demo feed</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/main_window.py" line="366"/>
        <location filename="../../studio_app/ui/main_window.py" line="471"/>
        <source>视频源</source>
        <translation>Video source</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/main_window.py" line="366"/>
        <source>改用演示画面。</source>
        <translation>Using the demo feed instead.</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/main_window.py" line="394"/>
        <source>相机已断开：%1
已切换到演示画面，重新连接后自动恢复。</source>
        <translation>Camera disconnected: %1
Showing the demo feed; the camera is used again when it is back.</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/main_window.py" line="395"/>
        <source>相机已断开：%1</source>
        <translation>Camera disconnected: %1</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/main_window.py" line="407"/>
        <source>相机已连接：%1</source>
        <translation>Camera connected: %1</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/main_window.py" line="410"/>
        <location filename="../../studio_app/ui/main_window.py" line="411"/>
        <source>视频源已结束</source>
        <translation>The video source has ended</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/main_window.py" line="418"/>
        <location filename="../../studio_app/ui/main_window.py" line="423"/>
        <source>视频源出错：%1</source>
        <translation>Video source error: %1</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/main_window.py" line="450"/>
        <source>没有画面：请检查相机连接</source>
        <translation>No picture: check the camera connection</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/main_window.py" line="495"/>
        <source>请坐到镜头前</source>
        <translation>Please sit in front of the camera</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/main_window.py" line="497"/>
        <source>分析出错：%1</source>
        <translation>Analysis failed: %1</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/main_window.py" line="550"/>
        <source>正在输出文件和回执…</source>
        <translation>Writing the files and the receipt…</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/main_window.py" line="574"/>
        <source>空闲</source>
        <translation>Idle</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/main_window.py" line="574"/>
        <source>选择规格</source>
        <translation>Choose document</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/main_window.py" line="574"/>
        <source>取景</source>
        <translation>Framing</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/main_window.py" line="575"/>
        <source>倒计时</source>
        <translation>Countdown</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/main_window.py" line="575"/>
        <source>处理中</source>
        <translation>Processing</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/main_window.py" line="575"/>
        <source>审核</source>
        <translation>Review</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/main_window.py" line="576"/>
        <source>已通过</source>
        <translation>Approved</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/main_window.py" line="576"/>
        <source>不合格</source>
        <translation>Rejected</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/main_window.py" line="576"/>
        <source>输出中</source>
        <translation>Writing output</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/main_window.py" line="577"/>
        <source>完成</source>
        <translation>Done</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/main_window.py" line="577"/>
        <location filename="../../studio_app/ui/main_window.py" line="594"/>
        <source>出错</source>
        <translation>Error</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/main_window.py" line="666"/>
        <source>没有画面，无法拍照</source>
        <translation>No picture to capture</translation>
    </message>
    <message numerus="yes">
        <location filename="../../studio_app/ui/main_window.py" line="704"/>
        <source>已按保留期限清除 %n 个过期订单</source>
        <translation>
            <numerusform>Removed %n order past the retention period</numerusform>
            <numerusform>Removed %n orders past the retention period</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/main_window.py" line="841"/>
        <source>重新提交 %1：请重新拍照</source>
        <translation>Resubmitting %1: take a new photo</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/main_window.py" line="852"/>
        <source>界面语言将在重新启动后生效。</source>
        <translation>The language changes after a restart.</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/main_window.py" line="870"/>
        <source>（演示）</source>
        <translation> (demo)</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/main_window.py" line="871"/>
        <source>视频源：%1</source>
        <translation>Source: %1</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/main_window.py" line="872"/>
        <source>画面 %1 fps</source>
        <translation>Preview %1 fps</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/main_window.py" line="874"/>
        <source>分析 %1 次/秒 · %2 ms</source>
        <translation>Analysis %1/s · %2 ms</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/source_switching.py" line="0"/>
        <source>热文件夹：等待新照片…
%1</source>
        <translation>Hot folder: waiting for new photos…
%1</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/source_switching.py" line="0"/>
        <source>联机拍摄：在相机或联机软件上拍照，每张新照片直接进入审核。</source>
        <translation>Tethered shooting: take the photo on the camera or in the tethering program; each new photo goes straight to review.</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/source_switching.py" line="0"/>
        <source>请先完成当前顾客，再打开这张照片。</source>
        <translation>Finish the current customer first, then open this photo.</translation>
    </message>
    <message numerus="yes">
        <location filename="../../studio_app/ui/source_switching.py" line="0"/>
        <source>有 %n 张新照片等待审核</source>
        <translation>
            <numerusform>%n new photo waiting for review</numerusform>
            <numerusform>%n new photos waiting for review</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/main_layout.py" line="0"/>
        <source>批量处理</source>
        <translation>Batch</translation>
    </message>
</context>
<context>
    <name>NudgeView</name>
    <message>
        <location filename="../../studio_app/ui/review.py" line="80"/>
        <source>拖动调整位置，滚轮缩放，双击复原</source>
        <translation>Drag to move, wheel to zoom, double-click to reset</translation>
    </message>
</context>
<context>
    <name>RejectDialog</name>
    <message>
        <location filename="../../studio_app/ui/review.py" line="166"/>
        <source>不合格原因</source>
        <translation>Reasons for rejection</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/review.py" line="175"/>
        <source>其他原因</source>
        <translation>Other reason</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/review.py" line="180"/>
        <source>请选择不合格原因：</source>
        <translation>Choose the reasons for rejection:</translation>
    </message>
</context>
<context>
    <name>ReviewPanel</name>
    <message>
        <location filename="../../studio_app/ui/review.py" line="213"/>
        <source>原图</source>
        <translation>Original</translation>
    </message>
    <message>
        <source>处理后</source>
        <translation type="vanished">Corrected</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/review.py" line="214"/>
        <source>处理后（可拖动微调）</source>
        <translation>Corrected (drag to adjust)</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/review.py" line="231"/>
        <location filename="../../studio_app/ui/review.py" line="295"/>
        <location filename="../../studio_app/ui/review.py" line="338"/>
        <location filename="../../studio_app/ui/review.py" line="363"/>
        <source>处理前</source>
        <translation>Before correction</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/review.py" line="232"/>
        <source>处理后（成品复检）</source>
        <translation>Corrected (finished file re-checked)</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/review.py" line="248"/>
        <source>替换背景</source>
        <translation>Replace background</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/review.py" line="250"/>
        <source>光线校正</source>
        <translation>Correct lighting</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/review.py" line="253"/>
        <location filename="../../studio_app/ui/review.py" line="296"/>
        <source>校正</source>
        <translation>Corrections</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/review.py" line="255"/>
        <source>背景颜色</source>
        <translation>Background colour</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/review.py" line="258"/>
        <source>白平衡</source>
        <translation>White balance</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/review.py" line="258"/>
        <source>曝光</source>
        <translation>Exposure</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/review.py" line="259"/>
        <source>阴影</source>
        <translation>Shadows</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/review.py" line="259"/>
        <source>反光</source>
        <translation>Glare</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/review.py" line="277"/>
        <source>通过并输出 (Ctrl+Enter)</source>
        <translation>Approve and output (Ctrl+Enter)</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/review.py" line="279"/>
        <source>不合格…</source>
        <translation>Reject…</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/review.py" line="280"/>
        <source>重拍 (R)</source>
        <translation>Retake (R)</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/review.py" line="289"/>
        <source>申请人</source>
        <translation>Applicant</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/review.py" line="294"/>
        <source>检查报告</source>
        <translation>Check report</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/review.py" line="327"/>
        <source>（非规格）</source>
        <translation> (not in spec)</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/review.py" line="348"/>
        <source>正在处理照片…</source>
        <translation>Processing the photo…</translation>
    </message>
    <message numerus="yes">
        <location filename="../../studio_app/ui/review.py" line="363"/>
        <source>处理前（%n 项不合格）</source>
        <translation>
            <numerusform>Before correction (%n failed)</numerusform>
            <numerusform>Before correction (%n failed)</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/review.py" line="369"/>
        <source>成品合格</source>
        <translation>The finished photo passes</translation>
    </message>
    <message numerus="yes">
        <location filename="../../studio_app/ui/review.py" line="373"/>
        <source>（另 %n 项，见检查报告）</source>
        <translation>
            <numerusform> (and %n more: see the check report)</numerusform>
            <numerusform> (and %n more: see the check report)</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/review.py" line="374"/>
        <source>成品不合格：</source>
        <translation>The finished photo fails: </translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/review.py" line="408"/>
        <source>成品未通过复检，不能输出；请重拍或调整校正</source>
        <translation>The finished photo failed its re-check and cannot be output; retake or adjust the corrections</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/review.py" line="410"/>
        <source>请先填写有效的申请人信息</source>
        <translation>Fill in valid applicant details first</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>按证件（社保卡、身份证等必填）</source>
        <translation>By document (required for social security, resident ID, …)</translation>
    </message>
    <message>
        <source>总是必填</source>
        <translation>Always required</translation>
    </message>
    <message>
        <source>不要求</source>
        <translation>Not required</translation>
    </message>
    <message>
        <source>身份证号码</source>
        <translation>Resident ID number</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/settings_dialog.py" line="24"/>
        <location filename="../../studio_app/ui/settings_dialog.py" line="166"/>
        <source>设置</source>
        <translation>Settings</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/settings_dialog.py" line="33"/>
        <source>浏览…</source>
        <translation>Browse…</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/settings_dialog.py" line="41"/>
        <source> 天</source>
        <translation> days</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/settings_dialog.py" line="55"/>
        <source>照相馆</source>
        <translation>Studio</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/settings_dialog.py" line="57"/>
        <source>名称</source>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/settings_dialog.py" line="58"/>
        <source>地址</source>
        <translation>Address</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/settings_dialog.py" line="59"/>
        <source>电话</source>
        <translation>Phone</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/settings_dialog.py" line="60"/>
        <source>工位编号</source>
        <translation>Station code</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/settings_dialog.py" line="61"/>
        <source>常规</source>
        <translation>General</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/settings_dialog.py" line="63"/>
        <location filename="../../studio_app/ui/settings_dialog.py" line="112"/>
        <source>输出文件夹</source>
        <translation>Output folder</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/settings_dialog.py" line="64"/>
        <source>数据保留</source>
        <translation>Keep data for</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/settings_dialog.py" line="65"/>
        <source>界面语言</source>
        <translation>Language</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/settings_dialog.py" line="66"/>
        <source>默认规格</source>
        <translation>Default document</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/settings_dialog.py" line="67"/>
        <source>回执模板</source>
        <translation>Receipt template</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/settings_dialog.py" line="85"/>
        <location filename="../../studio_app/ui/settings_dialog.py" line="152"/>
        <source>打印测试页</source>
        <translation>Print test page</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/settings_dialog.py" line="87"/>
        <source>打印校准（按打印机）</source>
        <translation>Printer calibration (per printer)</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/settings_dialog.py" line="89"/>
        <source>打印机</source>
        <translation>Printer</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/settings_dialog.py" line="90"/>
        <source>水平偏移</source>
        <translation>Horizontal offset</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/settings_dialog.py" line="91"/>
        <source>垂直偏移</source>
        <translation>Vertical offset</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/settings_dialog.py" line="92"/>
        <source>水平缩放</source>
        <translation>Horizontal scale</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/settings_dialog.py" line="93"/>
        <source>垂直缩放</source>
        <translation>Vertical scale</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/settings_dialog.py" line="140"/>
        <source>测试页 PDF</source>
        <translation>Test page PDF</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/settings_dialog.py" line="166"/>
        <source>工位编号只能包含字母和数字</source>
        <translation>The station code may contain letters and digits only</translation>
    </message>
</context>
<context>
    <name>SourceDialog</name>
    <message>
        <location filename="../../studio_app/ui/source_dialog.py" line="14"/>
        <source>视频源</source>
        <translation>Video source</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/source_dialog.py" line="15"/>
        <source>相机</source>
        <translation>Camera</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/source_dialog.py" line="16"/>
        <source>文件或文件夹</source>
        <translation>File or folder</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/source_dialog.py" line="17"/>
        <source>演示画面</source>
        <translation>Demo feed</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/source_dialog.py" line="28"/>
        <source>浏览…</source>
        <translation>Browse…</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/source_dialog.py" line="35"/>
        <source>设备</source>
        <translation>Device</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/source_dialog.py" line="36"/>
        <source>分辨率</source>
        <translation>Resolution</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/source_dialog.py" line="38"/>
        <source>路径</source>
        <translation>Path</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/source_dialog.py" line="71"/>
        <source>选择视频或图片</source>
        <translation>Choose a video or image</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/source_dialog.py" line="72"/>
        <source>视频或图片 (*.mp4 *.avi *.mov *.mkv *.jpg *.jpeg *.png)</source>
        <translation>Videos or images (*.mp4 *.avi *.mov *.mkv *.jpg *.jpeg *.png)</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/source_dialog.py" line="0"/>
        <source>热文件夹（联机拍摄软件保存的每张照片直接进入审核）</source>
        <translation>Hot folder (each shot the tethering program saves goes straight to review)</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/source_dialog.py" line="0"/>
        <source>单反/微单相机（gPhoto2：取景和拍照）</source>
        <translation>DSLR / mirrorless camera (gPhoto2: live view and shutter)</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/source_dialog.py" line="0"/>
        <source>用单反/微单拍照（gPhoto2），此相机只用于取景</source>
        <translation>Take the photo with the DSLR (gPhoto2); this camera gives the live view only</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/source_dialog.py" line="0"/>
        <source>例如 EOS Utility 的保存文件夹</source>
        <translation>e.g. EOS Utility's destination folder</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/source_dialog.py" line="0"/>
        <source>选择文件夹…</source>
        <translation>Choose folder…</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/source_dialog.py" line="0"/>
        <source>文件夹</source>
        <translation>Folder</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/source_dialog.py" line="0"/>
        <source>选择热文件夹</source>
        <translation>Choose the hot folder</translation>
    </message>
</context>
<context>
    <name>parent</name>
    <message>
        <location filename="../../studio_app/ui/printing.py" line="174"/>
        <location filename="../../studio_app/ui/printing.py" line="177"/>
        <location filename="../../studio_app/ui/printing.py" line="184"/>
        <source>打印</source>
        <translation>Print</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/printing.py" line="174"/>
        <source>无法直接打印 PDF（缺少 pypdfium2）</source>
        <translation>Cannot print the PDF directly (pypdfium2 missing)</translation>
    </message>
</context>
<context>
    <name>startup</name>
    <message>
        <location filename="../../studio_app/ui/app.py" line="73"/>
        <source>证件照工作站</source>
        <translation>ID Photo Station</translation>
    </message>
</context>
<context>
    <name>VerifyDialog</name>
    <message>
        <location filename="../../studio_app/ui/verify_dialog.py" line="31"/>
        <source>核验回执</source>
        <translation>Check a receipt</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/verify_dialog.py" line="38"/>
        <source>用扫码枪扫描回执上的二维码（或输入回执号后按回车）</source>
        <translation>Scan the receipt's QR code with the barcode scanner (or type a receipt number and press Enter)</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/verify_dialog.py" line="40"/>
        <source>等待扫码</source>
        <translation>Waiting for a scan</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/verify_dialog.py" line="49"/>
        <source>回执号：</source>
        <translation>Receipt no.:</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/verify_dialog.py" line="49"/>
        <source>姓名：</source>
        <translation>Name:</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/verify_dialog.py" line="49"/>
        <source>证件：</source>
        <translation>Document:</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/verify_dialog.py" line="50"/>
        <source>证件号码：</source>
        <translation>ID number:</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/verify_dialog.py" line="50"/>
        <source>城市：</source>
        <translation>City:</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/verify_dialog.py" line="50"/>
        <source>日期：</source>
        <translation>Date:</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/verify_dialog.py" line="51"/>
        <source>状态：</source>
        <translation>Status:</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/verify_dialog.py" line="144"/>
        <source>无存档照片</source>
        <translation>No stored photo</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/verify_dialog.py" line="63"/>
        <source>请核对本人与存档照片、姓名：签名有效只证明回执是本店出具的，不证明持有人就是本人。</source>
        <translation>Compare the person with the stored photo and the name: a valid signature proves the studio issued this receipt, not that the holder is the person it was issued to.</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/verify_dialog.py" line="66"/>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/verify_dialog.py" line="102"/>
        <source>无法核验</source>
        <translation>Cannot check</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/verify_dialog.py" line="145"/>
        <source>回执未通过核验，不显示照片</source>
        <translation>The receipt did not pass: no photo is shown</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/verify_dialog.py"/>
        <source>全部证件：</source>
        <translation>All documents:</translation>
    </message>
</context>
<context>
    <name>MoreDocumentsButton</name>
    <message>
        <location filename="../../studio_app/ui/documents.py"/>
        <source>一次拍摄同时制作其他证件照：同一订单、同一张回执，每项证件有自己的图像号</source>
        <translation>Make other document photos from the same capture: one order, one receipt, an image number for each document</translation>
    </message>
    <message numerus="yes">
        <location filename="../../studio_app/ui/documents.py"/>
        <source>＋ 同时制作 %n 项</source>
        <translation>
            <numerusform>+ %n more document</numerusform>
            <numerusform>+ %n more documents</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/documents.py"/>
        <source>＋ 同时制作…</source>
        <translation>+ More documents…</translation>
    </message>
</context>
<context>
    <name>DocumentPage</name>
    <message>
        <location filename="../../studio_app/ui/documents.py"/>
        <source>成品复检</source>
        <translation>Finished file re-checked</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/documents.py"/>
        <source>正在制作…</source>
        <translation>Making…</translation>
    </message>
</context>
<context>
    <name>DocumentTabs</name>
    <message>
        <location filename="../../studio_app/ui/documents.py"/>
        <source>拍摄检查</source>
        <translation>Capture checks</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/documents.py"/>
        <source>成品复检</source>
        <translation>Finished file re-checked</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/documents.py"/>
        <source>合格</source>
        <translation>Passes</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/documents.py"/>
        <source>需要重拍：</source>
        <translation>Retake needed: </translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/documents.py"/>
        <source>不合格：</source>
        <translation>Does not pass: </translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/documents.py"/>
        <source>正在制作其他证件照…</source>
        <translation>Making the other document photos…</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/documents.py"/>
        <source>%1 未通过：整单不能输出（请重拍；不需要该证件时，重拍前取消勾选）</source>
        <translation>%1 did not pass: the order cannot be issued (retake; if that document is not needed, untick it before the retake)</translation>
    </message>
</context>
<context>
    <name>BatchPanel</name>
    <message>
        <location filename="../../studio_app/ui/batch_panel.py" line="0"/>
        <source>批量处理</source>
        <translation>Batch</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/batch_panel.py" line="0"/>
        <source>把照片文件夹拖到这里，或点“选择文件夹…”</source>
        <translation>Drop a folder of photos here, or click “Choose folder…”</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/batch_panel.py" line="0"/>
        <source>选择文件夹…</source>
        <translation>Choose folder…</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/batch_panel.py" line="0"/>
        <source>选择…</source>
        <translation>Choose…</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/batch_panel.py" line="0"/>
        <source>每个进程约 360 MB 内存</source>
        <translation>Each process takes about 360 MB of memory</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/batch_panel.py" line="0"/>
        <source>包括子文件夹</source>
        <translation>Include sub-folders</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/batch_panel.py" line="0"/>
        <source>重做已完成的照片</source>
        <translation>Redo photos already done</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/batch_panel.py" line="0"/>
        <source>并行进程</source>
        <translation>Worker processes</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/batch_panel.py" line="0"/>
        <source>照片文件夹</source>
        <translation>Photo folder</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/batch_panel.py" line="0"/>
        <source>规格</source>
        <translation>Spec</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/batch_panel.py" line="0"/>
        <source>要处理的规格</source>
        <translation>Specs to make</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/batch_panel.py" line="0"/>
        <source>输出到</source>
        <translation>Output to</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/batch_panel.py" line="0"/>
        <source>文件</source>
        <translation>File</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/batch_panel.py" line="0"/>
        <source>结果</source>
        <translation>Verdict</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/batch_panel.py" line="0"/>
        <source>问题</source>
        <translation>Problems</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/batch_panel.py" line="0"/>
        <source>双击一行在审核中打开这张照片。</source>
        <translation>Double-click a row to open that photo in review.</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/batch_panel.py" line="0"/>
        <source>开始</source>
        <translation>Start</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/batch_panel.py" line="0"/>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/batch_panel.py" line="0"/>
        <source>打开报告</source>
        <translation>Open report</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/batch_panel.py" line="0"/>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/batch_panel.py" line="0"/>
        <source>选择照片文件夹</source>
        <translation>Choose the photo folder</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/batch_panel.py" line="0"/>
        <source>选择输出文件夹</source>
        <translation>Choose the output folder</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/batch_panel.py" line="0"/>
        <source>请至少选择一个规格。</source>
        <translation>Choose at least one spec.</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/batch_panel.py" line="0"/>
        <source>正在启动…</source>
        <translation>Starting…</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/batch_panel.py" line="0"/>
        <source>正在处理 %1（%2 个进程加载模型需要几秒钟）…</source>
        <translation>Processing %1 (%2 processes take a few seconds to load the models)…</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/batch_panel.py" line="0"/>
        <source>正在停止：正在处理的照片完成后停止，已完成的都会保留…</source>
        <translation>Stopping: after the photos being processed; everything finished is kept…</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/batch_panel.py" line="0"/>
        <source>剩余 %1</source>
        <translation>%1 left</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/batch_panel.py" line="0"/>
        <source>完成：合格 %1，可修正 %2，需重拍 %3，无法处理 %4（本次处理 %5，跳过已完成 %6，%7 秒）</source>
        <translation>Done: %1 passed, %2 with problems, %3 retakes, %4 errors (%5 processed, %6 already done and skipped, %7 s)</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/batch_panel.py" line="0"/>
        <source>已取消：已完成的照片都已保存，再次开始会继续。</source>
        <translation>Cancelled: finished photos are kept; start again to continue.</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/batch_panel.py" line="0"/>
        <source>文件夹中没有图片：%1</source>
        <translation>No images in the folder: %1</translation>
    </message>
</context>
<context>
    <name>SheetDialog</name>
    <message>
        <location filename="../../studio_app/ui/sheet_dialog.py" line="0"/>
        <source>混排版面</source>
        <translation>Mixed sheet</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/sheet_dialog.py" line="0"/>
        <source>4 张 1寸 + 2 张 2寸</source>
        <translation>4 × 1-inch + 2 × 2-inch</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/sheet_dialog.py" line="0"/>
        <source>打印…</source>
        <translation>Print…</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/sheet_dialog.py" line="0"/>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/sheet_dialog.py" line="0"/>
        <source>相纸</source>
        <translation>Paper</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/sheet_dialog.py" line="0"/>
        <source>每种尺寸的张数（★ 为本单规格，用审核过的照片）</source>
        <translation>Copies of each size (★ is this order's spec, with the reviewed photo)</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/sheet_dialog.py" line="0"/>
        <source>请至少选择一张照片。</source>
        <translation>Choose at least one photo.</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/sheet_dialog.py" line="0"/>
        <source>正在排版…</source>
        <translation>Laying out…</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/sheet_dialog.py" line="0"/>
        <source>无法混排：%1 需要重拍（不合格的照片不能冲印）</source>
        <translation>No mixed sheet: %1 needs a retake (a failing photo is never printed)</translation>
    </message>
</context>
</TS>

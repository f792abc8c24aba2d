<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>AdminScreen</name>
    <message>
        <location filename="../../studio_app/ui/kiosk/screens.py" line="793"/>
        <source>管理员</source>
        <translation>Staff</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/kiosk/screens.py" line="794"/>
        <location filename="../../studio_app/ui/kiosk/screens.py" line="849"/>
        <source>请输入管理员密码</source>
        <translation>Enter the staff PIN</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/kiosk/screens.py" line="796"/>
        <source>确定</source>
        <translation>OK</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/kiosk/screens.py" line="809"/>
        <source>无操作多久结束（秒）</source>
        <translation>End after no touch for (seconds)</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/kiosk/screens.py" line="810"/>
        <source>最多重拍次数</source>
        <translation>Retakes allowed</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/kiosk/screens.py" line="828"/>
        <source>保存设置</source>
        <translation>Save settings</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/kiosk/screens.py" line="830"/>
        <source>退出自助模式</source>
        <translation>Leave kiosk mode</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/kiosk/screens.py" line="837"/>
        <source>返回</source>
        <translation>Back</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/kiosk/screens.py" line="857"/>
        <source>已解锁</source>
        <translation>Unlocked</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/kiosk/screens.py" line="870"/>
        <source>打印前由工作人员审核：开</source>
        <translation>Staff review before printing: on</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/kiosk/screens.py" line="871"/>
        <source>打印前由工作人员审核：关</source>
        <translation>Staff review before printing: off</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/kiosk/screens.py" line="874"/>
        <source>密码不对</source>
        <translation>Wrong PIN</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/kiosk/screens.py" line="875"/>
        <source>错误次数太多，请 {n} 秒后再试</source>
        <translation>Too many tries. Try again in {n} seconds</translation>
    </message>
</context>
<context>
    <name>AttractScreen</name>
    <message>
        <location filename="../../studio_app/ui/kiosk/screens.py" line="67"/>
        <source>自助证件照</source>
        <extracomment>the session state names this screen shows (for tests and logs) px left clear on both sides of a title in landscape (the mute button is 230 px + 16)</extracomment>
        <translation>ID photos, self-service</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/kiosk/screens.py" line="70"/>
        <source>社保卡、身份证、驾驶证等证件照
拍照、检查、打印，一步一步跟着做</source>
        <translation>Photos for social security cards, ID cards, driving licences and more
Take, check and print, one step at a time</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/kiosk/screens.py" line="73"/>
        <source>点这里开始</source>
        <translation>Touch here to start</translation>
    </message>
</context>
<context>
    <name>BackRow</name>
    <message>
        <location filename="../../studio_app/ui/kiosk/screens.py" line="145"/>
        <source>〈 上一步</source>
        <translation>〈 Back</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/kiosk/screens.py" line="146"/>
        <source>重新开始</source>
        <translation>Start over</translation>
    </message>
</context>
<context>
    <name>CityScreen</name>
    <message>
        <location filename="../../studio_app/ui/kiosk/screens.py" line="278"/>
        <source>请选择办理证件的城市</source>
        <translation>Choose the city of your document</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/kiosk/screens.py" line="279"/>
        <source>不同城市的回执不一样。请选您领卡的城市，
例如选“深圳市”，不要选“广东省”。</source>
        <translation>Receipts differ from city to city. Choose the city where you collect the card,
e.g. Shenzhen, not Guangdong.</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/kiosk/screens.py" line="283"/>
        <source>其他城市</source>
        <translation>Another city</translation>
    </message>
</context>
<context>
    <name>ConfirmScreen</name>
    <message>
        <location filename="../../studio_app/ui/kiosk/screens.py" line="722"/>
        <source>请核对</source>
        <translation>Please check</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/kiosk/screens.py" line="733"/>
        <source>没有问题，确认</source>
        <translation>All correct: confirm</translation>
    </message>
</context>
<context>
    <name>ConsentScreen</name>
    <message>
        <location filename="../../studio_app/ui/kiosk/screens.py" line="99"/>
        <source>拍照前请您知悉</source>
        <extracomment>the hidden admin corner (top-left) does not start a session</extracomment>
        <translation>Before we take your photo</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/kiosk/screens.py" line="101"/>
        <source>本机会拍摄您的面部照片，用来制作证件照和照片回执。</source>
        <translation>This machine takes a photo of your face to make your ID photo and photo receipt.</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/kiosk/screens.py" line="102"/>
        <source>面部照片属于敏感个人信息。照片和您输入的号码只保存在本店电脑里，不上传网络，{days} 天后自动删除。</source>
        <translation>A face photo is sensitive personal information. The photo and the numbers you enter stay on this studio&apos;s computer, are never sent over the internet, and are deleted after {days} days.</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/kiosk/screens.py" line="104"/>
        <source>如果您中途离开或不再操作，本机会马上删除这次拍的照片和输入的号码。</source>
        <translation>If you leave or stop, this machine deletes the photo and the numbers at once.</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/kiosk/screens.py" line="105"/>
        <source>您可以不同意。不同意，本机就不拍照。</source>
        <translation>You may say no. Then no photo is taken.</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/kiosk/screens.py" line="122"/>
        <source>个人信息处理者：{name}</source>
        <translation>Handled by: {name}</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/kiosk/screens.py" line="125"/>
        <source>不同意</source>
        <translation>No, thanks</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/kiosk/screens.py" line="126"/>
        <source>同意，开始拍照</source>
        <translation>I agree: take my photo</translation>
    </message>
</context>
<context>
    <name>DocumentScreen</name>
    <message>
        <location filename="../../studio_app/ui/kiosk/screens.py" line="166"/>
        <source>请选择您要办理的证件</source>
        <translation>Which document is the photo for?</translation>
    </message>
</context>
<context>
    <name>GuideView</name>
    <message>
        <location filename="../../studio_app/ui/kiosk/screens.py" line="306"/>
        <source>头顶</source>
        <translation>Top of head</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/kiosk/screens.py" line="306"/>
        <source>眼睛</source>
        <translation>Eyes</translation>
    </message>
</context>
<context>
    <name>IdleOverlay</name>
    <message>
        <location filename="../../studio_app/ui/kiosk/screens.py" line="897"/>
        <source>您还在吗？</source>
        <translation>Are you still there?</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/kiosk/screens.py" line="902"/>
        <source>我还在，继续</source>
        <translation>I am here: continue</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/kiosk/screens.py" line="915"/>
        <source>{n} 秒后结束，
并删除这次的照片和号码</source>
        <translation>Ending in {n} seconds,
the photo and numbers will be deleted</translation>
    </message>
</context>
<context>
    <name>KioskWindow</name>
    <message>
        <location filename="../../studio_app/ui/kiosk/window.py" line="109"/>
        <source>自助证件照</source>
        <translation>ID photos, self-service</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/kiosk/window.py" line="170"/>
        <source>请选择具体的一种</source>
        <translation>Choose one</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/kiosk/window.py" line="181"/>
        <source>正在处理照片</source>
        <translation>Preparing your photo</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/kiosk/window.py" line="181"/>
        <source>请稍候，不要离开</source>
        <translation>Please wait, do not leave</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/kiosk/window.py" line="186"/>
        <source>请联系工作人员</source>
        <translation>Please ask a member of staff</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/kiosk/window.py" line="187"/>
        <location filename="../../studio_app/ui/kiosk/window.py" line="416"/>
        <source>照片没有拍好，工作人员会帮您。
这次拍的照片已经删除。</source>
        <translation>The photo did not work out; staff will help you.
The photos taken were deleted.</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/kiosk/window.py" line="188"/>
        <source>好的</source>
        <translation>OK</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/kiosk/window.py" line="190"/>
        <source>请输入身份证号码</source>
        <translation>Enter your ID card number</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/kiosk/window.py" line="191"/>
        <source>18 位，最后一位如果是 X，请按 X 键</source>
        <translation>18 characters; if the last one is X, press X</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/kiosk/window.py" line="197"/>
        <source>请输入手机号码</source>
        <translation>Enter your mobile number</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/kiosk/window.py" line="198"/>
        <source>照片做好后方便联系您，可以不填</source>
        <translation>So we can contact you; you may skip this</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/kiosk/window.py" line="207"/>
        <source>正在保存</source>
        <translation>Saving</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/kiosk/window.py" line="207"/>
        <location filename="../../studio_app/ui/kiosk/window.py" line="208"/>
        <source>请稍候</source>
        <translation>Please wait</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/kiosk/window.py" line="209"/>
        <source>工作人员正在审核您的照片，审核通过后自动打印。</source>
        <translation>Staff are checking your photo; it prints when approved.</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/kiosk/window.py" line="210"/>
        <source>正在打印</source>
        <translation>Printing</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/kiosk/window.py" line="210"/>
        <source>请在下方出纸口取回执和照片</source>
        <translation>Take your receipt and photos from the slot below</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/kiosk/window.py" line="214"/>
        <source>谢谢使用</source>
        <translation>Thank you</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/kiosk/window.py" line="214"/>
        <source>请带好您的回执和随身物品</source>
        <translation>Please take your receipt and belongings</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/kiosk/window.py" line="215"/>
        <source>好的，不拍照</source>
        <translation>All right, no photo</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/kiosk/window.py" line="215"/>
        <source>您没有同意，本机不会给您拍照。</source>
        <translation>You did not agree, so no photo is taken.</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/kiosk/window.py" line="216"/>
        <source>抱歉，机器出了点问题，马上回到首页。</source>
        <translation>Sorry, something went wrong; back to the start in a moment.</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/kiosk/window.py" line="218"/>
        <source>暂停服务</source>
        <translation>Out of service</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/kiosk/window.py" line="219"/>
        <source>摄像头暂时不能用，请稍候或联系工作人员。</source>
        <translation>The camera is not working. Please wait or ask staff.</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/kiosk/window.py" line="236"/>
        <source>声音：关</source>
        <translation>Sound: off</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/kiosk/window.py" line="236"/>
        <source>声音：开</source>
        <translation>Sound: on</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/kiosk/window.py" line="292"/>
        <source>很好，请保持不动</source>
        <translation>Good, hold still</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/kiosk/window.py" line="294"/>
        <source>请坐正，看着摄像头</source>
        <translation>Sit up straight and look at the camera</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/kiosk/window.py" line="298"/>
        <source>看不到您的脸，请坐到摄像头正前方</source>
        <translation>We cannot see your face: sit in front of the camera</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/kiosk/window.py" line="358"/>
        <source>{name}：请选择哪一种</source>
        <translation>{name}: choose one</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/kiosk/window.py" line="455"/>
        <source>手机号码是 11 位，以 1 开头</source>
        <translation>A mobile number has 11 digits and starts with 1</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/kiosk/window.py" line="477"/>
        <source>工作人员正在审核您的照片，审核通过后自动打印。
取件号码：{code}</source>
        <translation>Staff are checking your photo; it prints when approved.
Pick-up code: {code}</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/kiosk/window.py" line="497"/>
        <source>工作人员没有通过这张照片，请到柜台办理。</source>
        <translation>Staff did not approve this photo. Please go to the counter.</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/kiosk/window.py" line="515"/>
        <source>凭此号码到柜台领取照片和回执</source>
        <translation>Collect your photos and receipt at the counter with this code</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/kiosk/window.py" line="533"/>
        <source>打印机暂时不能用，请凭此号码到柜台领取照片和回执</source>
        <translation>The printer is not working. Collect your photos and receipt at the counter with this code</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/kiosk/window.py" line="637"/>
        <source>证件：{name}</source>
        <translation>Document: {name}</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/kiosk/window.py" line="639"/>
        <source>城市：{city}</source>
        <translation>City: {city}</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/kiosk/window.py" line="640"/>
        <source>身份证：{id}</source>
        <translation>ID number: {id}</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/kiosk/window.py" line="640"/>
        <location filename="../../studio_app/ui/kiosk/window.py" line="641"/>
        <source>未填</source>
        <translation>not given</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/kiosk/window.py" line="641"/>
        <source>手机：{phone}</source>
        <translation>Mobile: {phone}</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/kiosk/window.py" line="783"/>
        <source>已保存</source>
        <translation>Saved</translation>
    </message>
</context>
<context>
    <name>LiveScreen</name>
    <message>
        <location filename="../../studio_app/ui/kiosk/screens.py" line="481"/>
        <source>请看着屏幕上方的摄像头</source>
        <translation>Look at the camera above the screen</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/kiosk/screens.py" line="490"/>
        <source>请坐正，把脸放进框里</source>
        <translation>Sit up straight, face inside the oval</translation>
    </message>
</context>
<context>
    <name>NumPad</name>
    <message>
        <location filename="../../studio_app/ui/kiosk/widgets.py" line="204"/>
        <source>确定</source>
        <translation>OK</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/kiosk/widgets.py" line="218"/>
        <source>删除</source>
        <translation>Delete</translation>
    </message>
</context>
<context>
    <name>NumberScreen</name>
    <message>
        <location filename="../../studio_app/ui/kiosk/screens.py" line="687"/>
        <source>确定</source>
        <translation>OK</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/kiosk/screens.py" line="699"/>
        <source>不填，跳过</source>
        <translation>Skip</translation>
    </message>
</context>
<context>
    <name>PickupScreen</name>
    <message>
        <location filename="../../studio_app/ui/kiosk/screens.py" line="758"/>
        <source>请到柜台取照片</source>
        <translation>Collect your photos at the counter</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/kiosk/screens.py" line="760"/>
        <source>告诉工作人员这个取件号码：</source>
        <translation>Tell staff this pick-up code:</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/kiosk/screens.py" line="768"/>
        <source>记住了，完成</source>
        <translation>Got it: finish</translation>
    </message>
</context>
<context>
    <name>ResultScreen</name>
    <message>
        <location filename="../../studio_app/ui/kiosk/screens.py" line="632"/>
        <source>再拍一次</source>
        <translation>Take it again</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/kiosk/screens.py" line="633"/>
        <source>就用这张</source>
        <translation>Use this photo</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/kiosk/screens.py" line="646"/>
        <source>照片合格</source>
        <translation>The photo is fine</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/kiosk/screens.py" line="648"/>
        <source>满意的话，请按“就用这张”。
不满意可以再拍一次。</source>
        <translation>If you like it, press “Use this photo”.
Otherwise take it again.</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/kiosk/screens.py" line="650"/>
        <source>这张不合格，请再拍一次</source>
        <translation>This photo cannot be used: please take it again</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/kiosk/screens.py" line="652"/>
        <source>• 请坐正，看着摄像头</source>
        <translation>• Sit up straight and look at the camera</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/kiosk/screens.py" line="653"/>
        <source>请这样调整：</source>
        <translation>Please change this:</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/kiosk/screens.py" line="659"/>
        <source>还可以再拍 {n} 次</source>
        <translation>{n} more tries</translation>
    </message>
    <message>
        <location filename="../../studio_app/ui/kiosk/screens.py" line="660"/>
        <source>已经不能再拍了</source>
        <translation>No more tries</translation>
    </message>
</context>
</TS>

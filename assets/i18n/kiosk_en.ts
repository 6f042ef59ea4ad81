<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
    <context>
        <name />
        <message>
            <source>{name}　第 {n} 步，共 {total} 步</source>
            <translation>{name} · Step {n} of {total}</translation>
        </message>
        <message>
            <source>正在连接政务服务平台，请稍候……</source>
            <translation>Connecting to the government service platform, please wait…</translation>
        </message>
        <message>
            <source>正在呼叫工作人员……</source>
            <translation>Calling a staff member…</translation>
        </message>
        <message>
            <source>受理条件</source>
            <translation>Eligibility</translation>
        </message>
        <message>
            <source>申请材料</source>
            <translation>Required materials</translation>
        </message>
        <message>
            <source>办理流程</source>
            <translation>Procedure</translation>
        </message>
        <message>
            <source>法定办结时限</source>
            <translation>Statutory time limit</translation>
        </message>
        <message>
            <source>承诺办结时限</source>
            <translation>Promised time limit</translation>
        </message>
        <message>
            <source>收费标准</source>
            <translation>Fees</translation>
        </message>
        <message>
            <source>办理结果</source>
            <translation>Outcome</translation>
        </message>
        <message>
            <source>设定依据</source>
            <translation>Legal basis</translation>
        </message>
        <message>
            <source>办理地点</source>
            <translation>Where to apply</translation>
        </message>
        <message>
            <source>办理时间</source>
            <translation>Office hours</translation>
        </message>
        <message>
            <source>咨询电话</source>
            <translation>Enquiries</translation>
        </message>
        <message>
            <source>投诉电话</source>
            <translation>Complaints</translation>
        </message>
        <message>
            <source>常见问题</source>
            <translation>FAQ</translation>
        </message>
        <message>
            <source>办理部门</source>
            <translation>Department</translation>
        </message>
        <message>
            <source>承诺时限</source>
            <translation>Time limit</translation>
        </message>
        <message>
            <source>收费</source>
            <translation>Fee</translation>
        </message>
        <message>
            <source>到现场</source>
            <translation>Visits</translation>
        </message>
        <message>
            <source>即办</source>
            <translation>Immediate</translation>
        </message>
        <message>
            <source>不收费</source>
            <translation>Free of charge</translation>
        </message>
        <message>
            <source>按指南</source>
            <translation>See guide</translation>
        </message>
        <message>
            <source>其他</source>
            <translation>Other</translation>
        </message>
        <message>
            <source>社保就业</source>
            <translation>Social security &amp; jobs</translation>
        </message>
        <message>
            <source>医疗保障</source>
            <translation>Medical insurance</translation>
        </message>
        <message>
            <source>户籍证件</source>
            <translation>Household &amp; ID</translation>
        </message>
        <message>
            <source>民政救助</source>
            <translation>Civil affairs &amp; relief</translation>
        </message>
        <message>
            <source>水电气</source>
            <translation>Utilities</translation>
        </message>
        <message>
            <source>公积金</source>
            <translation>Housing fund</translation>
        </message>
        <message>
            <source>卫生健康</source>
            <translation>Health</translation>
        </message>
        <message>
            <source>税务</source>
            <translation>Tax</translation>
        </message>
        <message>
            <source>交通出行</source>
            <translation>Traffic</translation>
        </message>
        <message>
            <source>农业农村</source>
            <translation>Agriculture &amp; rural</translation>
        </message>
        <message>
            <source>残疾人服务</source>
            <translation>Disability services</translation>
        </message>
        <message>
            <source>教育</source>
            <translation>Education</translation>
        </message>
        <message>
            <source>不动产</source>
            <translation>Real estate</translation>
        </message>
        <message>
            <source>出入境</source>
            <translation>Exit &amp; entry</translation>
        </message>
        <message>
            <source>退役军人</source>
            <translation>Veterans</translation>
        </message>
        <message>
            <source>法律服务</source>
            <translation>Legal services</translation>
        </message>
        <message>
            <source>村级证明</source>
            <translation>Village certificates</translation>
        </message>
        <message>
            <source>交警</source>
            <translation>Traffic police</translation>
        </message>
        <message>
            <source>人社</source>
            <translation>Human resources &amp; social security</translation>
        </message>
        <message>
            <source>供水</source>
            <translation>Water supply</translation>
        </message>
        <message>
            <source>供电</source>
            <translation>Power supply</translation>
        </message>
        <message>
            <source>公安</source>
            <translation>Public security</translation>
        </message>
        <message>
            <source>医保</source>
            <translation>Medical insurance</translation>
        </message>
        <message>
            <source>卫健</source>
            <translation>Health commission</translation>
        </message>
        <message>
            <source>司法</source>
            <translation>Justice</translation>
        </message>
        <message>
            <source>村委会</source>
            <translation>Village committee</translation>
        </message>
        <message>
            <source>残联</source>
            <translation>Disabled persons' federation</translation>
        </message>
        <message>
            <source>民政</source>
            <translation>Civil affairs</translation>
        </message>
        <message>
            <source>燃气</source>
            <translation>Gas</translation>
        </message>
        <message>
            <source>自然资源</source>
            <translation>Natural resources</translation>
        </message>
        <message>
            <source>微信支付</source>
            <translation>WeChat Pay</translation>
        </message>
        <message>
            <source>支付宝</source>
            <translation>Alipay</translation>
        </message>
        <message>
            <source>云闪付（银联）</source>
            <translation>UnionPay QuickPass</translation>
        </message>
        <message>
            <source>删除</source>
            <translation>Del</translation>
        </message>
        <message>
            <source>清空</source>
            <translation>Clr</translation>
        </message>
        <message>
            <source>已连接政务服务平台</source>
            <translation>Connected to the government service platform</translation>
        </message>
        <message>
            <source>网络中断：暂不能在线办理业务，请稍后再试或联系工作人员</source>
            <translation>Network down: online services are unavailable. Please try again later or ask a staff member</translation>
        </message>
        <message>
            <source>正在连接政务服务平台……</source>
            <translation>Connecting to the government service platform…</translation>
        </message>
        <message>
            <source>网络中断：暂时不能在线办理，办事指南照常可看。请稍后再试，或点右上角「帮办」找工作人员。</source>
            <translation>Network down: online services are unavailable for now; service guides can still be read. Please try again later, or tap "Help" at the top right for a staff member.</translation>
        </message>
        <message>
            <source>继续办理</source>
            <translation>Continue</translation>
        </message>
        <message>
            <source>您还在办理吗？不着急，慢慢来。
要继续，请点下面的「继续办理」。
{seconds} 秒后回到首页，您的信息会被清除。</source>
            <translation>Are you still there? Take your time.
To go on, tap "Continue" below.
In {seconds} seconds we return to the home screen and clear your information.</translation>
        </message>
        <message>
            <source>您还在操作吗？
{seconds} 秒后将返回首页，并清除您的信息。</source>
            <translation>Are you still there?
In {seconds} seconds this returns to the home screen and clears your information.</translation>
        </message>
        <message>
            <source>粤智助 · 政务服务自助终端</source>
            <translation>Yuezhizhu · Government Self-Service Kiosk</translation>
        </message>
        <message>
            <source>粤智助 · 自助终端</source>
            <translation>Yuezhizhu · Self-Service</translation>
        </message>
        <message>
            <source>粤智助</source>
            <translation>Yuezhizhu</translation>
        </message>
        <message>
            <source>长者模式</source>
            <translation>Senior mode</translation>
        </message>
        <message>
            <source>帮办</source>
            <translation>Help</translation>
        </message>
        <message>
            <source>需要大字、慢一点吗？可以切换到长者模式：字更大，步骤更少，有语音。</source>
            <translation>Would larger text and a slower pace help? Senior mode has bigger text, fewer steps and spoken guidance.</translation>
        </message>
        <message>
            <source>切换到长者模式</source>
            <translation>Switch to Senior mode</translation>
        </message>
        <message>
            <source>不用了</source>
            <translation>No thanks</translation>
        </message>
        <message>
            <source>上一步</source>
            <translation>Back</translation>
        </message>
        <message>
            <source>返回首页</source>
            <translation>Home</translation>
        </message>
        <message>
            <source>重听</source>
            <translation>Repeat</translation>
        </message>
        <message>
            <source>语音：关</source>
            <translation>Voice: off</translation>
        </message>
        <message>
            <source>语音</source>
            <translation>Voice</translation>
        </message>
        <message>
            <source>终端编号 {id}</source>
            <translation>Kiosk {id}</translation>
        </message>
        <message>
            <source>yyyy年M月d日  HH:mm</source>
            <translation>d MMM yyyy  HH:mm</translation>
        </message>
        <message>
            <source>子女</source>
            <translation>Child</translation>
        </message>
        <message>
            <source>配偶</source>
            <translation>Spouse</translation>
        </message>
        <message>
            <source>父母</source>
            <translation>Parent</translation>
        </message>
        <message>
            <source>兄弟姐妹</source>
            <translation>Sibling</translation>
        </message>
        <message>
            <source>其他亲属</source>
            <translation>Other relative</translation>
        </message>
        <message>
            <source>村（居）干部</source>
            <translation>Village cadre</translation>
        </message>
        <message>
            <source>办理人：{holder}　代办人：{agent}（{relation}）</source>
            <translation>Applicant: {holder} · Agent: {agent} ({relation})</translation>
        </message>
        <message>
            <source>办理人身份核验成功。下面请代办人核验身份。</source>
            <translation>The applicant's identity is verified. Now the agent, please verify your identity.</translation>
        </message>
        <message>
            <source>代办人与办理人是什么关系？</source>
            <translation>How is the agent related to the applicant?</translation>
        </message>
        <message>
            <source>代办人身份证放置位置示意图</source>
            <translation>Where to place the agent's ID card</translation>
        </message>
        <message>
            <source>请选择代办人与办理人的关系。</source>
            <translation>Please choose how the agent is related to the applicant.</translation>
        </message>
        <message>
            <source>请代办人把本人身份证平放在读卡区。</source>
            <translation>Agent, please lay your own ID card flat on the reader.</translation>
        </message>
        <message>
            <source>▭ 代办人身份证 ▼［ 读卡区 ］</source>
            <translation>▭ Agent's ID card ▼ [ Reader ]</translation>
        </message>
        <message>
            <source>请先取回办理人的证件，再由代办人将本人身份证平放在「身份证读卡区」。</source>
            <translation>First take back the applicant's card, then the agent lays their own ID card flat on the "ID card reader".</translation>
        </message>
        <message>
            <source>正在核验代办人身份，请稍候……</source>
            <translation>Verifying the agent's identity, please wait…</translation>
        </message>
        <message>
            <source>请稍候</source>
            <translation>Please wait</translation>
        </message>
        <message>
            <source>没有办成</source>
            <translation>Not completed</translation>
        </message>
        <message>
            <source>请联系工作人员</source>
            <translation>Ask a staff member</translation>
        </message>
        <message>
            <source>换一种方式</source>
            <translation>Another way</translation>
        </message>
        <message>
            <source>重试</source>
            <translation>Retry</translation>
        </message>
        <message>
            <source>刷身份证，就能办社保、医保、户籍证明等业务</source>
            <translation>Swipe your ID card for social security, medical insurance, household certificates and more</translation>
        </message>
        <message>
            <source>字太小？点右上角「长者模式」，字更大、步骤更少</source>
            <translation>Text too small? Tap "Senior mode" at the top right for larger text and fewer steps</translation>
        </message>
        <message>
            <source>不会操作？点右上角「帮办」，工作人员马上来帮您</source>
            <translation>Need help? Tap "Help" at the top right and a staff member will come</translation>
        </message>
        <message>
            <source>输入拼音首字母就能找业务：ylrz 养老认证</source>
            <translation>Type pinyin initials to find a service: ylrz finds 养老认证</translation>
        </message>
        <message>
            <source>轻触屏幕开始</source>
            <translation>Touch the screen to start</translation>
        </message>
        <message>
            <source>欢迎使用 粤智助</source>
            <translation>Welcome to Yuezhizhu</translation>
        </message>
        <message>
            <source>政务服务自助终端</source>
            <translation>Government Self-Service Kiosk</translation>
        </message>
        <message>
            <source>轻触屏幕 开始办理</source>
            <translation>Touch the screen to begin</translation>
        </message>
        <message>
            <source>常用：</source>
            <translation>Popular:</translation>
        </message>
        <message>
            <source>请用下方的字母键输入业务名称的拼音首字母。</source>
            <translation>Use the letter keys below to type the pinyin initials of the service name.</translation>
        </message>
        <message>
            <source>欢迎使用粤智助，请轻触屏幕开始。</source>
            <translation>Welcome to Yuezhizhu. Touch the screen to start.</translation>
        </message>
        <message>
            <source>您好！请选择要办理的业务，或输入拼音首字母搜索。</source>
            <translation>Hello! Choose a service, or search by pinyin initials.</translation>
        </message>
        <message>
            <source>您好！请选择要办理的业务</source>
            <translation>Hello! Choose a service</translation>
        </message>
        <message>
            <source>您好！请选择业务</source>
            <translation>Hello! Please choose a service</translation>
        </message>
        <message>
            <source>搜索业务</source>
            <translation>Search services</translation>
        </message>
        <message>
            <source>输入拼音首字母，如 ylrz 找「养老认证」</source>
            <translation>Type pinyin initials, e.g. ylrz for 养老认证</translation>
        </message>
        <message>
            <source>暂时无法获取业务列表，请稍后再试或点右上角「帮办」联系工作人员。</source>
            <translation>The list of services cannot be loaded now. Please try again later or tap "Help" at the top right.</translation>
        </message>
        <message>
            <source>正在加载业务……</source>
            <translation>Loading services…</translation>
        </message>
        <message>
            <source>常用业务</source>
            <translation>Popular services</translation>
        </message>
        <message>
            <source>按部门办理</source>
            <translation>Services by department</translation>
        </message>
        <message>
            <source>全部部门</source>
            <translation>All departments</translation>
        </message>
        <message>
            <source>共 {n} 个部门</source>
            <translation>{n} departments</translation>
        </message>
        <message>
            <source>找工作人员帮办</source>
            <translation>Ask a staff member</translation>
        </message>
        <message>
            <source>请人帮办</source>
            <translation>Get help</translation>
        </message>
        <message>
            <source>工作人员马上来帮您</source>
            <translation>A staff member will come to help</translation>
        </message>
        <message>
            <source>更多业务</source>
            <translation>More services</translation>
        </message>
        <message>
            <source>按部门查找</source>
            <translation>Find by department</translation>
        </message>
        <message>
            <source>{n} 项业务</source>
            <translation>{n} services</translation>
        </message>
        <message>
            <source>{group}（{n} 项）</source>
            <translation>{group} ({n})</translation>
        </message>
        <message>
            <source>暂未开通</source>
            <translation>Not available yet</translation>
        </message>
        <message>
            <source>服务窗口</source>
            <translation>Service window</translation>
        </message>
        <message>
            <source>地址：{address}</source>
            <translation>Address: {address}</translation>
        </message>
        <message>
            <source>咨询电话：{phone}</source>
            <translation>Enquiries: {phone}</translation>
        </message>
        <message>
            <source>例如：ylrz 养老认证 · sbjf 社保缴费 · hjzm 户籍证明 · gjj 公积金</source>
            <translation>e.g. ylrz 养老认证 · sbjf 社保缴费 · hjzm 户籍证明 · gjj 公积金</translation>
        </message>
        <message>
            <source>又称</source>
            <translation>Also called</translation>
        </message>
        <message>
            <source>相关</source>
            <translation>Related</translation>
        </message>
        <message>
            <source>搜索结果</source>
            <translation>Search results</translation>
        </message>
        <message>
            <source>搜索内容</source>
            <translation>Search text</translation>
        </message>
        <message>
            <source>请输入拼音首字母</source>
            <translation>Type pinyin initials</translation>
        </message>
        <message>
            <source>常用业务（输入拼音首字母，马上找到要办的业务）</source>
            <translation>Popular services (type pinyin initials to find a service at once)</translation>
        </message>
        <message>
            <source>正在准备搜索，请稍候……</source>
            <translation>Preparing the search, please wait…</translation>
        </message>
        <message>
            <source>{how}：{field}</source>
            <translation>{how}: {field}</translation>
        </message>
        <message>
            <source>没有找到与「{text}」相关的业务。可以少输几个字母再试，或点右上角「帮办」请工作人员帮忙。</source>
            <translation>No service matches "{text}". Try typing fewer letters, or tap "Help" at the top right for a staff member.</translation>
        </message>
        <message>
            <source>找到很多项，以下是最相关的 {n} 项；继续输入可缩小范围</source>
            <translation>Many services found; these are the {n} most relevant. Keep typing to narrow them down</translation>
        </message>
        <message>
            <source>找到 {n} 项，点业务名称查看办事指南</source>
            <translation>{n} found. Tap a service to read its guide</translation>
        </message>
        <message>
            <source>签名区</source>
            <translation>Signature area</translation>
        </message>
        <message>
            <source>{year} 年 {month} 月</source>
            <translation>{month}/{year}</translation>
        </message>
        <message>
            <source>重新认证</source>
            <translation>Certify again</translation>
        </message>
        <message>
            <source>打印认证凭证</source>
            <translation>Print certificate of certification</translation>
        </message>
        <message>
            <source>完成</source>
            <translation>Done</translation>
        </message>
        <message>
            <source>正在查询您的认证情况，请稍候……</source>
            <translation>Checking your certification, please wait…</translation>
        </message>
        <message>
            <source>正在进行资格认证，请稍候……</source>
            <translation>Certifying your eligibility, please wait…</translation>
        </message>
        <message>
            <source>认证成功</source>
            <translation>Certified</translation>
        </message>
        <message>
            <source>认证成功，有效期至 {until}。</source>
            <translation>Certified, valid until {until}.</translation>
        </message>
        <message>
            <source>认证编号：{number}</source>
            <translation>Certification no.: {number}</translation>
        </message>
        <message>
            <source>温馨提示：{text}。</source>
            <translation>Note: {text}.</translation>
        </message>
        <message>
            <source>认证仍在有效期内</source>
            <translation>Certification still valid</translation>
        </message>
        <message>
            <source>暂无需认证</source>
            <translation>No certification needed</translation>
        </message>
        <message>
            <source>办理机构：{name}</source>
            <translation>Office: {name}</translation>
        </message>
        <message>
            <source>电话：{phone}</source>
            <translation>Phone: {phone}</translation>
        </message>
        <message>
            <source>　咨询：{phone}</source>
            <translation> · Enquiries: {phone}</translation>
        </message>
        <message>
            <source>时间：{hours}</source>
            <translation>Hours: {hours}</translation>
        </message>
        <message>
            <source>正在打印认证凭证，请稍候……</source>
            <translation>Printing the certificate of certification, please wait…</translation>
        </message>
        <message>
            <source>「{name}」{message}</source>
            <translation>"{name}": {message}</translation>
        </message>
        <message>
            <source>认证成功。</source>
            <translation>Certified.</translation>
        </message>
        <message>
            <source>「{name}」：暂无需认证。</source>
            <translation>"{name}": no certification is needed for now.</translation>
        </message>
        <message>
            <source>「{name}」：您的认证仍在有效期内（至 {until}）。</source>
            <translation>"{name}": your certification is still valid (until {until}).</translation>
        </message>
        <message>
            <source>「{name}」：您的认证仍在有效期内。</source>
            <translation>"{name}": your certification is still valid.</translation>
        </message>
        <message>
            <source>正在进行资格认证，请稍候。</source>
            <translation>Certifying your eligibility, please wait.</translation>
        </message>
        <message>
            <source>{headline}。</source>
            <translation>{headline}.</translation>
        </message>
        <message>
            <source>有效期至</source>
            <translation>Valid until</translation>
        </message>
        <message>
            <source>证明编号</source>
            <translation>Certificate no.</translation>
        </message>
        <message>
            <source>明细</source>
            <translation>Details</translation>
        </message>
        <message>
            <source>证明核验二维码</source>
            <translation>Certificate verification QR code</translation>
        </message>
        <message>
            <source>扫码或凭核验码可核验证明真伪</source>
            <translation>Scan the code or use the verification code to check that the certificate is genuine</translation>
        </message>
        <message>
            <source>打印 A4 证明</source>
            <translation>Print A4 certificate</translation>
        </message>
        <message>
            <source>打印证明</source>
            <translation>Print certificate</translation>
        </message>
        <message>
            <source>打印凭条</source>
            <translation>Print slip</translation>
        </message>
        <message>
            <source>请核对以下信息，确认无误后点「打印 A4 证明」或「打印凭条」。</source>
            <translation>Please check the details below, then tap "Print A4 certificate" or "Print slip".</translation>
        </message>
        <message>
            <source>请核对以下信息，确认无误后点「打印证明」。</source>
            <translation>Please check the details below, then tap "Print certificate".</translation>
        </message>
        <message>
            <source>正在为您办理「{name}」，请稍候……</source>
            <translation>Processing "{name}", please wait…</translation>
        </message>
        <message>
            <source>核验码：{code}</source>
            <translation>Verification code: {code}</translation>
        </message>
        <message>
            <source>正在打印 A4 证明，请稍候……</source>
            <translation>Printing the A4 certificate, please wait…</translation>
        </message>
        <message>
            <source>正在打印，请稍候……</source>
            <translation>Printing, please wait…</translation>
        </message>
        <message>
            <source>请核对证明内容，确认无误后点打印。</source>
            <translation>Please check the certificate, then tap print.</translation>
        </message>
        <message>
            <source>拍摄什么</source>
            <translation>What is captured</translation>
        </message>
        <message>
            <source>仅在本步骤中，由屏幕上方的摄像头拍摄您的面部画面，并请您眨眨眼，确认是真人在场。</source>
            <translation>Only during this step, the camera above the screen captures your face and asks you to blink, to confirm a real person is present.</translation>
        </message>
        <message>
            <source>为什么</source>
            <translation>Why</translation>
        </message>
        <message>
            <source>与政务服务平台登记的证件照片比对，确认是{who}本人办理。</source>
            <translation>It is compared with the ID photo registered on the government service platform, to confirm that {who} is applying in person.</translation>
        </message>
        <message>
            <source>是否保存</source>
            <translation>Is it stored</translation>
        </message>
        <message>
            <source>本机不保存任何照片或视频：比对用的一张照片只发送给政务服务平台，本步骤结束后立即清除。</source>
            <translation>This kiosk stores no photos or video: the one photo used for the comparison goes only to the government service platform and is erased when this step ends.</translation>
        </message>
        <message>
            <source>您的权利</source>
            <translation>Your rights</translation>
        </message>
        <message>
            <source>根据《中华人民共和国个人信息保护法》，人脸信息属于敏感个人信息，需要您单独同意。您可以不同意，改到服务窗口办理。</source>
            <translation>Under the Personal Information Protection Law of the PRC, facial information is sensitive personal information and needs your separate consent. You may decline and apply at a service window instead.</translation>
        </message>
        <message>
            <source>人脸识别</source>
            <translation>Face check</translation>
        </message>
        <message>
            <source>同意，开始人脸识别</source>
            <translation>Agree and start the face check</translation>
        </message>
        <message>
            <source>不同意</source>
            <translation>Decline</translation>
        </message>
        <message>
            <source>摄像头画面</source>
            <translation>Camera view</translation>
        </message>
        <message>
            <source>再试一次</source>
            <translation>Try again</translation>
        </message>
        <message>
            <source>我同意，开始人脸识别</source>
            <translation>I agree, start the face check</translation>
        </message>
        <message>
            <source>请工作人员协助</source>
            <translation>Ask a staff member for help</translation>
        </message>
        <message>
            <source>办理人</source>
            <translation>the applicant</translation>
        </message>
        <message>
            <source>您</source>
            <translation>you</translation>
        </message>
        <message>
            <source>办理人人脸识别</source>
            <translation>Applicant's face check</translation>
        </message>
        <message>
            <source>「{name}」需要核验{who}本人的面部。</source>
            <translation>"{name}" requires checking the face of {who}.</translation>
        </message>
        <message>
            <source>
请办理人本人正对摄像头，代办人请离开镜头。</source>
            <translation>
Applicant, please face the camera; agent, please step out of view.</translation>
        </message>
        <message>
            <source>需要核验本人面部，请阅读说明后，点同意开始人脸识别，或点不同意。</source>
            <translation>A face check is needed. Please read the notes, then tap agree to start, or decline.</translation>
        </message>
        <message>
            <source>请正对摄像头，眨眨眼。</source>
            <translation>Please face the camera and blink.</translation>
        </message>
        <message>
            <source>正在与政务服务平台比对，请稍候……</source>
            <translation>Comparing with the government service platform, please wait…</translation>
        </message>
        <message>
            <source>是</source>
            <translation>Yes</translation>
        </message>
        <message>
            <source>否</source>
            <translation>No</translation>
        </message>
        <message>
            <source>（选填，可直接点「下一项」）</source>
            <translation>(optional, you can tap "Next")</translation>
        </message>
        <message>
            <source>已输入 {n} / {max} 字</source>
            <translation>{n} / {max} characters</translation>
        </message>
        <message>
            <source>上一年</source>
            <translation>Previous year</translation>
        </message>
        <message>
            <source>下一年</source>
            <translation>Next year</translation>
        </message>
        <message>
            <source>{m}月</source>
            <translation>{m}</translation>
        </message>
        <message>
            <source>改月份</source>
            <translation>Change month</translation>
        </message>
        <message>
            <source>{d}日</source>
            <translation>{d}</translation>
        </message>
        <message>
            <source>{y}年</source>
            <translation>{y}</translation>
        </message>
        <message>
            <source>修改</source>
            <translation>Change</translation>
        </message>
        <message>
            <source>修改{label}</source>
            <translation>Change {label}</translation>
        </message>
        <message>
            <source>上一项</source>
            <translation>Previous</translation>
        </message>
        <message>
            <source>下一项</source>
            <translation>Next</translation>
        </message>
        <message>
            <source>正在读取您登记的信息，请稍候……</source>
            <translation>Reading your registered details, please wait…</translation>
        </message>
        <message>
            <source>请核对您的信息</source>
            <translation>Please check your details</translation>
        </message>
        <message>
            <source>请填写：{label}</source>
            <translation>Please fill in: {label}</translation>
        </message>
        <message>
            <source>请选择：{label}</source>
            <translation>Please choose: {label}</translation>
        </message>
        <message>
            <source>第 {n} 项，共 {total} 项</source>
            <translation>Question {n} of {total}</translation>
        </message>
        <message>
            <source>修改已填写的信息</source>
            <translation>Change the details entered</translation>
        </message>
        <message>
            <source>为本人缴费</source>
            <translation>Pay for myself</translation>
        </message>
        <message>
            <source>为家庭成员缴费</source>
            <translation>Pay for a family member</translation>
        </message>
        <message>
            <source>为他人缴费</source>
            <translation>Pay for someone else</translation>
        </message>
        <message>
            <source>被缴费人身份证号</source>
            <translation>Payee's ID number</translation>
        </message>
        <message>
            <source>户号</source>
            <translation>Account no.</translation>
        </message>
        <message>
            <source>请输入被缴费人的身份证号码，最后一位是 X 的请按「X」。</source>
            <translation>Enter the payee's ID number; if it ends in X, tap "X".</translation>
        </message>
        <message>
            <source>被缴费人身份证号码</source>
            <translation>Payee's ID number</translation>
        </message>
        <message>
            <source>请输入缴费订单上的订单号和查询码，或把订单上的二维码对准扫码口。</source>
            <translation>Enter the order number and check code from the payment order, or hold its QR code to the scanner.</translation>
        </message>
        <message>
            <source>订单号</source>
            <translation>Order no.</translation>
        </message>
        <message>
            <source>查询码</source>
            <translation>Check code</translation>
        </message>
        <message>
            <source>返回上一页</source>
            <translation>Back</translation>
        </message>
        <message>
            <source>补打缴费凭证</source>
            <translation>Reprint payment receipt</translation>
        </message>
        <message>
            <source>下一步</source>
            <translation>Next</translation>
        </message>
        <message>
            <source>请输入缴费通知单上的{what}，或把通知单上的条形码对准扫码口。</source>
            <translation>Enter the {what} from the payment notice, or hold the notice's barcode to the scanner.</translation>
        </message>
        <message>
            <source>确定</source>
            <translation>OK</translation>
        </message>
        <message>
            <source>查询</source>
            <translation>Search</translation>
        </message>
        <message>
            <source>请选择为谁缴费</source>
            <translation>Who are you paying for?</translation>
        </message>
        <message>
            <source>请输入被缴费人的身份证号码</source>
            <translation>Enter the payee's ID number</translation>
        </message>
        <message>
            <source>请输入或扫描户号</source>
            <translation>Enter or scan the account number</translation>
        </message>
        <message>
            <source>请选择要缴纳的费用</source>
            <translation>Choose what to pay</translation>
        </message>
        <message>
            <source>{item}：{step}</source>
            <translation>{item}: {step}</translation>
        </message>
        <message>
            <source>请选择为谁缴费。</source>
            <translation>Please choose who you are paying for.</translation>
        </message>
        <message>
            <source>请用下方数字键输入被缴费人的身份证号码。</source>
            <translation>Use the keypad below to enter the payee's ID number.</translation>
        </message>
        <message>
            <source>请输入户号，或扫描缴费通知单上的条形码。</source>
            <translation>Enter the account number, or scan the barcode on the payment notice.</translation>
        </message>
        <message>
            <source>请输入订单号和查询码，或扫描订单上的二维码。</source>
            <translation>Enter the order number and check code, or scan the QR code on the order.</translation>
        </message>
        <message>
            <source>请选择要缴纳的费用，再点下一步。</source>
            <translation>Choose what to pay, then tap Next.</translation>
        </message>
        <message>
            <source>请选择要缴纳的费用。</source>
            <translation>Please choose what to pay.</translation>
        </message>
        <message>
            <source>正在查询应缴费用，请稍候……</source>
            <translation>Looking up what is due, please wait…</translation>
        </message>
        <message>
            <source>{label}：{account}　户名：{name}</source>
            <translation>{label}: {account} · Account name: {name}</translation>
        </message>
        <message>
            <source>被缴费人：{name}</source>
            <translation>Payee: {name}</translation>
        </message>
        <message>
            <source>　（已缴）</source>
            <translation> (paid)</translation>
        </message>
        <message>
            <source>缴费项目</source>
            <translation>Payment for</translation>
        </message>
        <message>
            <source>户名</source>
            <translation>Account name</translation>
        </message>
        <message>
            <source>被缴费人</source>
            <translation>Payee</translation>
        </message>
        <message>
            <source>身份证号码</source>
            <translation>ID number</translation>
        </message>
        <message>
            <source>缴费内容</source>
            <translation>Payment</translation>
        </message>
        <message>
            <source>收款单位</source>
            <translation>Payee organisation</translation>
        </message>
        <message>
            <source>应缴金额</source>
            <translation>Amount due</translation>
        </message>
        <message>
            <source>正在查询缴费订单，请稍候……</source>
            <translation>Looking up the payment order, please wait…</translation>
        </message>
        <message>
            <source>正在打印缴费凭证，请稍候……</source>
            <translation>Printing the payment receipt, please wait…</translation>
        </message>
        <message>
            <source>信息无误，确定</source>
            <translation>Details correct, confirm</translation>
        </message>
        <message>
            <source>信息无误，下一项</source>
            <translation>Details correct, next</translation>
        </message>
        <message>
            <source>请核对自动填写的信息，无误请点确定。</source>
            <translation>Please check the details filled in for you, and tap OK if they are correct.</translation>
        </message>
        <message>
            <source>请填写表单。</source>
            <translation>Please fill in the form.</translation>
        </message>
        <message>
            <source>请填写{label}。</source>
            <translation>Please fill in {label}.</translation>
        </message>
        <message>
            <source>查看完整办事指南</source>
            <translation>See the full service guide</translation>
        </message>
        <message>
            <source>打印指南</source>
            <translation>Print guide</translation>
        </message>
        <message>
            <source>开始办理</source>
            <translation>Start</translation>
        </message>
        <message>
            <source>⚠ 以下材料需到窗口提交：</source>
            <translation>⚠ These materials must be handed in at the window: </translation>
        </message>
        <message>
            <source>、</source>
            <translation>, </translation>
        </message>
        <message>
            <source>本终端暂未开通本事项的自助办理，点「开始办理」查看办理窗口。</source>
            <translation>This kiosk cannot yet handle this service by itself; tap "Start" to see where to apply.</translation>
        </message>
        <message>
            <source>本事项的办事指南内容仅有中文版本，以下详细内容以中文显示。如需帮助，请点「帮办」。</source>
            <translation>This service's guide is published in Chinese only; the details below are shown in Chinese. For help, tap "Help".</translation>
        </message>
        <message>
            <source>正在打印办事指南，请稍候……</source>
            <translation>Printing the service guide, please wait…</translation>
        </message>
        <message>
            <source>请阅读办事指南的要点，准备好后点「开始办理」。</source>
            <translation>Please read the key points of the guide, then tap "Start" when you are ready.</translation>
        </message>
        <message>
            <source>请阅读办事指南，准备好后点「开始办理」。</source>
            <translation>Please read the service guide and tap "Start" when you are ready.</translation>
        </message>
        <message>
            <source>{n} 项</source>
            <translation>{n} item(s)</translation>
        </message>
        <message>
            <source>无需材料</source>
            <translation>No materials</translation>
        </message>
        <message>
            <source>（{n} 项需到窗口）</source>
            <translation>({n} at the window)</translation>
        </message>
        <message>
            <source>{n} 个工作日</source>
            <translation>{n} working days</translation>
        </message>
        <message>
            <source>收费（详见指南）</source>
            <translation>Fee payable (see guide)</translation>
        </message>
        <message>
            <source>{n} 次</source>
            <translation>{n}</translation>
        </message>
        <message>
            <source>身份证</source>
            <translation>ID card</translation>
        </message>
        <message>
            <source>▭ ▼［ 读卡区 ］</source>
            <translation>▭ ▼ [ Card reader ]</translation>
        </message>
        <message>
            <source>平放在「身份证读卡区」
听到提示音前不要移动</source>
            <translation>Lay it flat on the "ID card reader"
Do not move it until you hear the beep</translation>
        </message>
        <message>
            <source>把身份证平放在下方的读卡区</source>
            <translation>lay your ID card flat on the reader below</translation>
        </message>
        <message>
            <source>社保卡</source>
            <translation>Social security card</translation>
        </message>
        <message>
            <source>▭ ▶［ 插卡口 ］</source>
            <translation>▭ ▶ [ Card slot ]</translation>
        </message>
        <message>
            <source>插入「社保卡插卡口」
芯片朝内，读完前不要拔卡</source>
            <translation>Insert into the "social security card slot"
Chip facing in; do not pull it out until read</translation>
        </message>
        <message>
            <source>把社保卡插入插卡口</source>
            <translation>insert your social security card into the slot</translation>
        </message>
        <message>
            <source>粤省事码</source>
            <translation>Yueshengshi code</translation>
        </message>
        <message>
            <source>▯ ▼［ 扫码口 ］</source>
            <translation>▯ ▼ [ Scanner ]</translation>
        </message>
        <message>
            <source>出示粤省事电子身份证码
对准下方的「扫码口」</source>
            <translation>Show your Yueshengshi e-ID code
and hold it to the "scanner" below</translation>
        </message>
        <message>
            <source>用粤省事电子身份证二维码对准扫码口</source>
            <translation>hold your Yueshengshi e-ID QR code to the scanner</translation>
        </message>
        <message>
            <source>{what}放置位置示意图</source>
            <translation>Where to place the {what}</translation>
        </message>
        <message>
            <source>请核验身份</source>
            <translation>Please verify your identity</translation>
        </message>
        <message>
            <source>帮他人办理</source>
            <translation>Apply for someone else</translation>
        </message>
        <message>
            <source>您正在办理：{name}</source>
            <translation>You are applying for: {name}</translation>
        </message>
        <message>
            <source>帮家人办理</source>
            <translation>For a family member</translation>
        </message>
        <message>
            <source>正在等待核验身份……</source>
            <translation>Waiting for identity verification…</translation>
        </message>
        <message>
            <source>请代办人核验身份</source>
            <translation>Agent, please verify your identity</translation>
        </message>
        <message>
            <source>请放置身份证</source>
            <translation>Please place your ID card</translation>
        </message>
        <message>
            <source>请插入社保卡</source>
            <translation>Please insert your social security card</translation>
        </message>
        <message>
            <source>请出示粤省事码</source>
            <translation>Please show your Yueshengshi code</translation>
        </message>
        <message>
            <source>请{methods}。</source>
            <translation>Please {methods}.</translation>
        </message>
        <message>
            <source>，或</source>
            <translation>, or </translation>
        </message>
        <message>
            <source>请到服务窗口办理，或点帮办请工作人员协助。</source>
            <translation>Please apply at a service window, or tap Help for a staff member.</translation>
        </message>
        <message>
            <source>家人或村（居）委会工作人员帮忙办理时，请点「{button}」。</source>
            <translation>If a family member or village (community) committee staff is handling this for you, tap "{button}".</translation>
        </message>
        <message>
            <source>，并进行人脸识别</source>
            <translation>, and take a face check</translation>
        </message>
        <message>
            <source>代办：先由办理人（本事项的申请人）本人核验身份{face}；
然后由代办人用本人身份证核验。</source>
            <translation>Proxy: first the applicant (the person this service is for) verifies their identity{face};
then the agent verifies with their own ID card.</translation>
        </message>
        <message>
            <source>请重新放置证件，或换一种方式。</source>
            <translation>Please place the card again, or choose another way.</translation>
        </message>
        <message>
            <source>已扫码，正在核验身份……</source>
            <translation>Code scanned, verifying your identity…</translation>
        </message>
        <message>
            <source>已扫码，正在核验身份，请稍候……</source>
            <translation>Code scanned, verifying your identity, please wait…</translation>
        </message>
        <message>
            <source>读卡成功，正在核验身份……</source>
            <translation>Card read, verifying your identity…</translation>
        </message>
        <message>
            <source>读卡成功，正在核验身份，请稍候……</source>
            <translation>Card read, verifying your identity, please wait…</translation>
        </message>
        <message>
            <source>请刷新后重新扫码，或换一种方式。</source>
            <translation>Please refresh the code and scan again, or choose another way.</translation>
        </message>
        <message>
            <source>请改用下面的方式核验身份。</source>
            <translation>Please verify your identity in one of the ways below.</translation>
        </message>
        <message>
            <source>A级：发证机关签发，可直接使用</source>
            <translation>Level A: issued by the issuing authority, usable directly</translation>
        </message>
        <message>
            <source>B级：已核验，可直接使用</source>
            <translation>Level B: verified, usable directly</translation>
        </message>
        <message>
            <source>C级：本人上传，需到窗口核验原件</source>
            <translation>Level C: uploaded by you; the original is checked at the window</translation>
        </message>
        <message>
            <source>D级：本人制作，需到窗口核验原件</source>
            <translation>Level D: made by you; the original is checked at the window</translation>
        </message>
        <message>
            <source>电子证照</source>
            <translation>E-licence</translation>
        </message>
        <message>
            <source>使用电子证照：{type}（{level}级，免提交）</source>
            <translation>Use the e-licence {type} (level {level}, no paper needed)</translation>
        </message>
        <message>
            <source>电子证照 {type}（{level}级，免提交）</source>
            <translation>E-licence {type} (level {level}, no paper needed)</translation>
        </message>
        <message>
            <source>您的{type}：{level}，不能代替纸质材料。</source>
            <translation>Your {type}: {level}; it cannot replace the paper material.</translation>
        </message>
        <message>
            <source>签署告知承诺书代替</source>
            <translation>Sign a commitment instead</translation>
        </message>
        <message>
            <source>容缺受理：先办理，{days} 个工作日内到窗口补交</source>
            <translation>Apply now, hand it in at the window within {days} working days</translation>
        </message>
        <message>
            <source>容缺：{days} 个工作日内到窗口补交</source>
            <translation>Later: hand it in at the window within {days} working days</translation>
        </message>
        <message>
            <source>用高拍仪拍照上传</source>
            <translation>Photograph on the document camera</translation>
        </message>
        <message>
            <source>不需要（{condition}）</source>
            <translation>Not needed ({condition})</translation>
        </message>
        <message>
            <source>不需要</source>
            <translation>Not needed</translation>
        </message>
        <message>
            <source>知道了，提交后到窗口提交</source>
            <translation>Understood, hand it in at the window after submitting</translation>
        </message>
        <message>
            <source>提交后到窗口提交</source>
            <translation>Hand in at the window after submitting</translation>
        </message>
        <message>
            <source>已选择：{choice}</source>
            <translation>Chosen: {choice}</translation>
        </message>
        <message>
            <source>上一份</source>
            <translation>Previous material</translation>
        </message>
        <message>
            <source>下一份</source>
            <translation>Next material</translation>
        </message>
        <message>
            <source>拍照预览</source>
            <translation>Photo preview</translation>
        </message>
        <message>
            <source>重新拍照</source>
            <translation>Retake</translation>
        </message>
        <message>
            <source>使用这张照片</source>
            <translation>Use this photo</translation>
        </message>
        <message>
            <source>返回</source>
            <translation>Back</translation>
        </message>
        <message>
            <source>告知承诺书全文</source>
            <translation>Full text of the commitment</translation>
        </message>
        <message>
            <source>我已阅读，同意并签名</source>
            <translation>I have read it, agree and sign</translation>
        </message>
        <message>
            <source>请用手指在下面框内签上您的姓名</source>
            <translation>Sign your name with your finger in the box below</translation>
        </message>
        <message>
            <source>清除重签</source>
            <translation>Clear and sign again</translation>
        </message>
        <message>
            <source>确认签名</source>
            <translation>Confirm signature</translation>
        </message>
        <message>
            <source>正在查询您的电子证照，请稍候……</source>
            <translation>Looking up your e-licences, please wait…</translation>
        </message>
        <message>
            <source>办理窗口</source>
            <translation>Window</translation>
        </message>
        <message>
            <source>本事项无需提交材料</source>
            <translation>This service needs no materials</translation>
        </message>
        <message>
            <source>请提供：{name}</source>
            <translation>Please provide: {name}</translation>
        </message>
        <message>
            <source>第 {n} 份材料，共 {total} 份</source>
            <translation>Material {n} of {total}</translation>
        </message>
        <message>
            <source>请签名</source>
            <translation>Please sign</translation>
        </message>
        <message>
            <source>告知承诺书：{name}</source>
            <translation>Commitment: {name}</translation>
        </message>
        <message>
            <source>请阅读告知承诺书全文</source>
            <translation>Please read the full commitment</translation>
        </message>
        <message>
            <source>拍照上传：{name}</source>
            <translation>Photograph: {name}</translation>
        </message>
        <message>
            <source>已签署告知承诺书</source>
            <translation>Commitment signed</translation>
        </message>
        <message>
            <source>请核对照片：字迹清楚、四边完整就点「使用这张照片」。</source>
            <translation>Please check the photo: if the text is clear and all four edges show, tap "Use this photo".</translation>
        </message>
        <message>
            <source>已用高拍仪拍照</source>
            <translation>Photographed on the document camera</translation>
        </message>
        <message>
            <source>请用手指在框内签名。</source>
            <translation>Please sign with your finger in the box.</translation>
        </message>
        <message>
            <source>请把材料平放在高拍仪下方。</source>
            <translation>Please lay the material flat under the document camera.</translation>
        </message>
        <message>
            <source>本事项无需提交材料。</source>
            <translation>This service needs no materials.</translation>
        </message>
        <message>
            <source>请选择如何提供{name}。</source>
            <translation>Please choose how to provide {name}.</translation>
        </message>
        <message>
            <source>上一页</source>
            <translation>Previous page</translation>
        </message>
        <message>
            <source>下一页</source>
            <translation>Next page</translation>
        </message>
        <message>
            <source>上一条</source>
            <translation>Previous record</translation>
        </message>
        <message>
            <source>返回列表</source>
            <translation>Back to list</translation>
        </message>
        <message>
            <source>下一条</source>
            <translation>Next record</translation>
        </message>
        <message>
            <source>正在查询「{name}」，请稍候……</source>
            <translation>Searching "{name}", please wait…</translation>
        </message>
        <message>
            <source>{title}　共 {n} 条记录</source>
            <translation>{title} · {n} records</translation>
        </message>
        <message>
            <source>查询条件：{shown}</source>
            <translation>Search conditions: {shown}</translation>
        </message>
        <message>
            <source>第 {n} 条记录</source>
            <translation>Record {n}</translation>
        </message>
        <message>
            <source>第 {n} 页，共 {total} 页</source>
            <translation>Page {n} of {total}</translation>
        </message>
        <message>
            <source>第 {n} 条，共 {total} 条</source>
            <translation>Record {n} of {total}</translation>
        </message>
        <message>
            <source>「{name}」查询完成，共 {n} 条记录。</source>
            <translation>"{name}": search complete, {n} records.</translation>
        </message>
        <message>
            <source>「{name}」未查询到记录。</source>
            <translation>"{name}": no records found.</translation>
        </message>
        <message>
            <source>这是查询结果，点一条记录可查看详情；需要的话可以打印。</source>
            <translation>These are the results. Tap a record for details; you can print them if you need.</translation>
        </message>
        <message>
            <source>非常满意</source>
            <translation>Very satisfied</translation>
        </message>
        <message>
            <source>满意</source>
            <translation>Satisfied</translation>
        </message>
        <message>
            <source>基本满意</source>
            <translation>Fairly satisfied</translation>
        </message>
        <message>
            <source>不满意</source>
            <translation>Dissatisfied</translation>
        </message>
        <message>
            <source>非常不满意</source>
            <translation>Very dissatisfied</translation>
        </message>
        <message>
            <source>整体满意度</source>
            <translation>Overall satisfaction</translation>
        </message>
        <message>
            <source>服务效率</source>
            <translation>Efficiency</translation>
        </message>
        <message>
            <source>服务水平</source>
            <translation>Service quality</translation>
        </message>
        <message>
            <source>服务态度</source>
            <translation>Attitude</translation>
        </message>
        <message>
            <source>请您对本次服务进行评价</source>
            <translation>Please rate this service</translation>
        </message>
        <message>
            <source>评价是自愿的，您也可以点「跳过」。</source>
            <translation>Rating is voluntary; you can also tap "Skip".</translation>
        </message>
        <message>
            <source>哪些方面让您不满意？可多选。文字意见暂不能在本机输入，可拨打 12345 反映。</source>
            <translation>What were you unhappy with? Choose any. Written comments cannot be entered here; call 12345.</translation>
        </message>
        <message>
            <source>跳过</source>
            <translation>Skip</translation>
        </message>
        <message>
            <source>提交评价</source>
            <translation>Submit rating</translation>
        </message>
        <message>
            <source>请您对本次服务进行评价，也可以点「跳过」。</source>
            <translation>Please rate this service, or tap "Skip".</translation>
        </message>
        <message>
            <source>办理完成</source>
            <translation>Completed</translation>
        </message>
        <message>
            <source>再打印一次</source>
            <translation>Print again</translation>
        </message>
        <message>
            <source>「{name}」已办理完成。</source>
            <translation>"{name}" is complete.</translation>
        </message>
        <message>
            <source>代办人的身份证</source>
            <translation>the agent's ID card</translation>
        </message>
        <message>
            <source>打印的证明</source>
            <translation>the printed certificate</translation>
        </message>
        <message>
            <source>打印的凭条</source>
            <translation>the printed slip</translation>
        </message>
        <message>
            <source>和</source>
            <translation> and </translation>
        </message>
        <message>
            <source>谢谢您的使用！</source>
            <translation>Thank you!</translation>
        </message>
        <message>
            <source>{n} 秒后进入服务评价</source>
            <translation>Rating in {n} seconds</translation>
        </message>
        <message>
            <source>正在重新打印，请稍候……</source>
            <translation>Printing again, please wait…</translation>
        </message>
        <message>
            <source>普通话</source>
            <translation>Mandarin</translation>
        </message>
        <message>
            <source>粤语</source>
            <translation>Cantonese</translation>
        </message>
        <message>
            <source>英语</source>
            <translation>English</translation>
        </message>
        <message>
            <source>语音播报</source>
            <translation>Voice guidance</translation>
        </message>
        <message>
            <source>打开语音</source>
            <translation>Voice on</translation>
        </message>
        <message>
            <source>关闭语音</source>
            <translation>Voice off</translation>
        </message>
        <message>
            <source>小声一点</source>
            <translation>Quieter</translation>
        </message>
        <message>
            <source>大声一点</source>
            <translation>Louder</translation>
        </message>
        <message>
            <source>语言</source>
            <translation>Language</translation>
        </message>
        <message>
            <source>音量</source>
            <translation>Volume</translation>
        </message>
        <message>
            <source>完成设置</source>
            <translation>Done</translation>
        </message>
        <message>
            <source>音量第{n}级</source>
            <translation>Volume level {n}</translation>
        </message>
        <message>
            <source>语音：开</source>
            <translation>Voice: on</translation>
        </message>
        <message>
            <source>技术维护入口</source>
            <translation>Technician entry</translation>
        </message>
        <message>
            <source>请核对以下信息</source>
            <translation>Please check the details below</translation>
        </message>
        <message>
            <source>确认无误后点「确认无误」；如需修改，请点「上一步」。</source>
            <translation>If everything is correct, tap "Confirm"; to change something, tap "Back".</translation>
        </message>
        <message>
            <source>确认无误</source>
            <translation>Confirm</translation>
        </message>
        <message>
            <source>请核对信息和{what}，确认无误后点「确认无误」。</source>
            <translation>Please check the details and the {what}, then tap "Confirm".</translation>
        </message>
        <message>
            <source>请核对信息，确认无误后点「确认无误」。</source>
            <translation>Please check the details, then tap "Confirm".</translation>
        </message>
        <message>
            <source>应付金额</source>
            <translation>Amount to pay</translation>
        </message>
        <message>
            <source>请选择支付方式，然后用手机扫描屏幕上的二维码付款。</source>
            <translation>Choose a payment method, then scan the QR code on the screen with your phone to pay.</translation>
        </message>
        <message>
            <source>支付二维码</source>
            <translation>Payment QR code</translation>
        </message>
        <message>
            <source>换一种支付方式</source>
            <translation>Another payment method</translation>
        </message>
        <message>
            <source>取消支付</source>
            <translation>Cancel payment</translation>
        </message>
        <message>
            <source>打印订单凭条</source>
            <translation>Print order slip</translation>
        </message>
        <message>
            <source>{item}：扫码支付</source>
            <translation>{item}: pay by QR code</translation>
        </message>
        <message>
            <source>请用手机扫描屏幕上的二维码，支付屏幕上显示的金额。</source>
            <translation>Scan the QR code on the screen with your phone to pay the amount shown.</translation>
        </message>
        <message>
            <source>已停止等待支付。如您已在手机上付款，款项不会丢失，请按屏幕上的说明补打缴费凭证；未付款的订单到时会自动失效，不会扣款。</source>
            <translation>Payment is no longer awaited. If you have already paid on your phone, the money is not lost: follow the steps on the screen to reprint the receipt. An unpaid order expires by itself and nothing is charged.</translation>
        </message>
        <message>
            <source>请选择支付方式。</source>
            <translation>Please choose a payment method.</translation>
        </message>
        <message>
            <source>正在生成支付二维码，请稍候……</source>
            <translation>Creating the payment QR code, please wait…</translation>
        </message>
        <message>
            <source>请打开手机「{method}」，扫描屏幕上的二维码付款。</source>
            <translation>Open {method} on your phone and scan the QR code on the screen to pay.</translation>
        </message>
        <message>
            <source>订单号：{number}</source>
            <translation>Order no.: {number}</translation>
        </message>
        <message>
            <source>查询码：{code}</source>
            <translation>Check code: {code}</translation>
        </message>
        <message>
            <source>（付款后如未出凭证，可凭订单号和查询码补打）</source>
            <translation>(If no receipt prints after you pay, reprint it with the order number and check code)</translation>
        </message>
        <message>
            <source>请在 {minutes} 分 {seconds} 秒内完成支付</source>
            <translation>Please pay within {minutes}:{seconds}</translation>
        </message>
        <message>
            <source>支付成功，正在打印缴费凭证……</source>
            <translation>Paid. Printing the payment receipt…</translation>
        </message>
        <message>
            <source>再打印一次订单凭条</source>
            <translation>Print the order slip again</translation>
        </message>
        <message>
            <source>正在打印订单凭条，请稍候……</source>
            <translation>Printing the order slip, please wait…</translation>
        </message>
        <message>
            <source>已完成</source>
            <translation>Done</translation>
        </message>
        <message>
            <source>进行中</source>
            <translation>In progress</translation>
        </message>
        <message>
            <source>未开始</source>
            <translation>Not started</translation>
        </message>
        <message>
            <source>请输入受理回执上的受理编号和申请人身份证号码后 4 位，或把回执上的二维码对准扫码口。</source>
            <translation>Enter the acceptance number on the receipt and the last 4 digits of the applicant's ID number, or hold the receipt's QR code to the scanner.</translation>
        </message>
        <message>
            <source>受理编号</source>
            <translation>Acceptance no.</translation>
        </message>
        <message>
            <source>身份证号码后4位</source>
            <translation>Last 4 digits of ID number</translation>
        </message>
        <message>
            <source>按受理编号查询</source>
            <translation>Search by acceptance number</translation>
        </message>
        <message>
            <source>返回我的办件</source>
            <translation>Back to my applications</translation>
        </message>
        <message>
            <source>请点选要查看的办件。</source>
            <translation>Tap an application to see it.</translation>
        </message>
        <message>
            <source>请输入受理编号和身份证号码后四位，或扫描受理回执上的二维码。</source>
            <translation>Enter the acceptance number and the last four digits of the ID number, or scan the QR code on the receipt.</translation>
        </message>
        <message>
            <source>请查询办理进度。</source>
            <translation>Please look up the progress.</translation>
        </message>
        <message>
            <source>办理状态：{status}。</source>
            <translation>Status: {status}.</translation>
        </message>
        <message>
            <source>正在查询您的办件，请稍候……</source>
            <translation>Looking up your applications, please wait…</translation>
        </message>
        <message>
            <source>受理编号 {number}　{status}</source>
            <translation>Acceptance no. {number} · {status}</translation>
        </message>
        <message>
            <source>正在查询办理进度，请稍候……</source>
            <translation>Looking up the progress, please wait…</translation>
        </message>
        <message>
            <source>{step}（{state}）</source>
            <translation>{step} ({state})</translation>
        </message>
        <message>
            <source>受理编号：{number}</source>
            <translation>Acceptance no.: {number}</translation>
        </message>
        <message>
            <source>受理时间：{time}</source>
            <translation>Accepted: {time}</translation>
        </message>
        <message>
            <source>承诺办结日期：{date}</source>
            <translation>Promised by: {date}</translation>
        </message>
        <message>
            <source>办结时间：{time}</source>
            <translation>Completed: {time}</translation>
        </message>
        <message>
            <source>说明：{note}</source>
            <translation>Note: {note}</translation>
        </message>
        <message>
            <source>还需补充的材料：</source>
            <translation>Materials still needed:</translation>
        </message>
        <message>
            <source>容缺受理，请在承诺期限内到窗口补交：</source>
            <translation>Accepted pending materials; hand these in at the window within the promised time:</translation>
        </message>
        <message>
            <source>{month}月{day}日</source>
            <translation>{month}/{day}</translation>
        </message>
        <message>
            <source>周一</source>
            <translation>Mon</translation>
        </message>
        <message>
            <source>周二</source>
            <translation>Tue</translation>
        </message>
        <message>
            <source>周三</source>
            <translation>Wed</translation>
        </message>
        <message>
            <source>周四</source>
            <translation>Thu</translation>
        </message>
        <message>
            <source>周五</source>
            <translation>Fri</translation>
        </message>
        <message>
            <source>周六</source>
            <translation>Sat</translation>
        </message>
        <message>
            <source>周日</source>
            <translation>Sun</translation>
        </message>
        <message>
            <source>重新选择时段</source>
            <translation>Choose another time</translation>
        </message>
        <message>
            <source>确认预约</source>
            <translation>Confirm booking</translation>
        </message>
        <message>
            <source>{item}：请选择预约时间</source>
            <translation>{item}: choose a time</translation>
        </message>
        <message>
            <source>请选择日期和时段，再点确认预约。</source>
            <translation>Choose a date and a time, then tap Confirm booking.</translation>
        </message>
        <message>
            <source>预约成功，请记好预约时间和地点。</source>
            <translation>Booked. Please note the time and place.</translation>
        </message>
        <message>
            <source>请选择预约时间。</source>
            <translation>Please choose a time to book.</translation>
        </message>
        <message>
            <source>正在查询可预约时段，请稍候……</source>
            <translation>Looking up the times you can book, please wait…</translation>
        </message>
        <message>
            <source>办理地点：{place}（{address}）</source>
            <translation>Place: {place} ({address})</translation>
        </message>
        <message>
            <source>可预约</source>
            <translation>Available</translation>
        </message>
        <message>
            <source>{day}　可预约时段</source>
            <translation>Times available on {day}</translation>
        </message>
        <message>
            <source>剩余 {n} 个</source>
            <translation>{n} left</translation>
        </message>
        <message>
            <source>已约满</source>
            <translation>Full</translation>
        </message>
        <message>
            <source>正在为您预约，请稍候……</source>
            <translation>Booking, please wait…</translation>
        </message>
        <message>
            <source>选择其他日期</source>
            <translation>Choose another date</translation>
        </message>
        <message>
            <source>预约成功</source>
            <translation>Booked</translation>
        </message>
        <message>
            <source>预约事项：{item}</source>
            <translation>Service: {item}</translation>
        </message>
        <message>
            <source>预约业务：{service}</source>
            <translation>For: {service}</translation>
        </message>
        <message>
            <source>预约编号：{number}</source>
            <translation>Booking no.: {number}</translation>
        </message>
        <message>
            <source>请携带：</source>
            <translation>Please bring:</translation>
        </message>
        <message>
            <source>预约短信已发送至 {phone}</source>
            <translation>A text message with the booking was sent to {phone}</translation>
        </message>
        <message>
            <source>预约成功，正在打印预约凭证……</source>
            <translation>Booked. Printing the booking slip…</translation>
        </message>
        <message>
            <source>排队号码</source>
            <translation>Queue number</translation>
        </message>
        <message>
            <source>取号</source>
            <translation>Take a number</translation>
        </message>
        <message>
            <source>{item}：取号</source>
            <translation>{item}: take a number</translation>
        </message>
        <message>
            <source>取号地点：{hall}</source>
            <translation>Queue at: {hall}</translation>
        </message>
        <message>
            <source>请选择{what}：</source>
            <translation>Please choose {what}:</translation>
        </message>
        <message>
            <source>您的号码是{number}，请留意叫号。</source>
            <translation>Your number is {number}. Please listen for it to be called.</translation>
        </message>
        <message>
            <source>请选择要办理的业务，再点取号。</source>
            <translation>Choose the service, then tap Take a number.</translation>
        </message>
        <message>
            <source>请点取号。</source>
            <translation>Please tap Take a number.</translation>
        </message>
        <message>
            <source>正在取号，请稍候……</source>
            <translation>Taking a number, please wait…</translation>
        </message>
        <message>
            <source>取号成功</source>
            <translation>Number taken</translation>
        </message>
        <message>
            <source>前面还有 {n} 人等候</source>
            <translation>{n} waiting ahead of you</translation>
        </message>
        <message>
            <source>办理业务：{business}</source>
            <translation>For: {business}</translation>
        </message>
        <message>
            <source>办理地点：{place}</source>
            <translation>Place: {place}</translation>
        </message>
        <message>
            <source>办理窗口：{windows}</source>
            <translation>Windows: {windows}</translation>
        </message>
        <message>
            <source>取号成功，正在打印排队号……</source>
            <translation>Number taken. Printing your queue ticket…</translation>
        </message>
        <message>
            <source>远程视频帮办二维码</source>
            <translation>Remote video help QR code</translation>
        </message>
        <message>
            <source>关闭</source>
            <translation>Close</translation>
        </message>
        <message>
            <source>关闭远程帮办</source>
            <translation>Close remote help</translation>
        </message>
        <message>
            <source>也可用手机扫码视频连线，远程帮办码 {code}（{minutes} 分钟内有效）</source>
            <translation>Or scan with your phone for a video call: remote help code {code} (valid for {minutes} minutes)</translation>
        </message>
        <message>
            <source>政务服务平台暂时连接不上，您的申请已加密暂存在本机。</source>
            <translation>The government service platform cannot be reached now; your application is stored, encrypted, on this kiosk.</translation>
        </message>
        <message>
            <source>恢复联网后会自动提交，无需再来办理。</source>
            <translation>It is submitted automatically when the network is back; you need not come again.</translation>
        </message>
        <message>
            <source>可凭暂存编号和身份证号码后4位查询受理编号和进度。</source>
            <translation>With the holding reference and the last 4 digits of your ID number you can look up the acceptance number and progress.</translation>
        </message>
        <message>
            <source>承诺办结日期：{date}前</source>
            <translation>To be completed by {date}</translation>
        </message>
        <message>
            <source>{item}：受理编号 {number}，{date}前办结</source>
            <translation>{item}: acceptance no. {number}, completed by {date}</translation>
        </message>
        <message>
            <source>容缺受理：{name}，请于{date}前到窗口补交</source>
            <translation>Accepted pending {name}: please hand it in at the window by {date}</translation>
        </message>
        <message>
            <source>待上传材料：{names}</source>
            <translation>Materials still to upload: {names}</translation>
        </message>
        <message>
            <source>扫码查询办理进度</source>
            <translation>Scan to follow the progress</translation>
        </message>
        <message>
            <source>正在提交申请</source>
            <translation>Submitting the application</translation>
        </message>
        <message>
            <source>正在提交申请和材料，请稍候……</source>
            <translation>Submitting the application and materials, please wait…</translation>
        </message>
        <message>
            <source>已暂存，联网后自动提交</source>
            <translation>Stored; submitted when the network is back</translation>
        </message>
        <message>
            <source>暂存编号：{ref}</source>
            <translation>Holding reference: {ref}</translation>
        </message>
        <message>
            <source>提交成功，已受理</source>
            <translation>Submitted and accepted</translation>
        </message>
        <message>
            <source>正在打印受理凭证……</source>
            <translation>Printing the acceptance receipt…</translation>
        </message>
        <message>
            <source>正在提交，请稍候。</source>
            <translation>Submitting, please wait.</translation>
        </message>
        <message>
            <source>您的申请已暂存，联网后自动提交。请取走暂存凭证。</source>
            <translation>Your application is stored and will be submitted when the network is back. Please take the holding receipt.</translation>
        </message>
        <message>
            <source>提交成功，请取走受理凭证。</source>
            <translation>Submitted. Please take the acceptance receipt.</translation>
        </message>
    </context>
    <context>
        <name>messages</name>
        <message>
            <source>系统繁忙，请稍后再试；如多次失败，请联系工作人员。</source>
            <translation>The system is busy. Please try again later; if it keeps failing, ask a staff member.</translation>
        </message>
        <message>
            <source>密码不正确，还可以再试 {tries_left} 次。</source>
            <translation>Wrong PIN; {tries_left} tries left.</translation>
        </message>
        <message>
            <source>密码错误次数过多，维护入口已锁定，请 {minutes} 分钟后再试。</source>
            <translation>Too many wrong PINs; the maintenance entry is locked. Try again in {minutes} minutes.</translation>
        </message>
        <message>
            <source>无法记录密码尝试次数，维护入口暂不可用，请检查终端存储或联系运维中心。</source>
            <translation>The PIN attempts cannot be recorded, so the maintenance entry is unavailable. Check the kiosk's storage or contact the operations centre.</translation>
        </message>
        <message>
            <source>本终端没有可用的维护密码（technician.pin_hash 未设置或有误），请运维人员用 kiosk-diag pin set 设置后再试。</source>
            <translation>This kiosk has no usable maintenance PIN (technician.pin_hash is unset or wrong). Operations staff: set one with kiosk-diag pin set, then try again.</translation>
        </message>
        <message>
            <source>规定时间内没有扫到码，请把二维码对准扫码口后重试。</source>
            <translation>No code was scanned in time. Hold the QR code to the scanner and try again.</translation>
        </message>
        <message>
            <source>没有找到 U 盘或导出目录，请插好 U 盘后再试。</source>
            <translation>No USB stick or export folder found. Insert a USB stick and try again.</translation>
        </message>
        <message>
            <source>诊断包写入失败，请换一个 U 盘或检查剩余空间后再试。</source>
            <translation>Writing the diagnostics bundle failed. Try another USB stick or check the free space, then try again.</translation>
        </message>
        <message>
            <source>设备维护中，暂停办理业务。请到服务窗口办理，或稍后再来。</source>
            <translation>The kiosk is under maintenance and services are paused. Please go to a service window, or come back later.</translation>
        </message>
        <message>
            <source>设备暂时无法使用，请稍后再试或联系工作人员。</source>
            <translation>The device is unavailable for now. Please try again later or ask a staff member.</translation>
        </message>
        <message>
            <source>设备连接已断开，正在自动重连，请稍候再试或联系工作人员。</source>
            <translation>The device has disconnected and is reconnecting. Please wait and try again, or ask a staff member.</translation>
        </message>
        <message>
            <source>设备响应超时，请重试。</source>
            <translation>The device did not respond in time. Please try again.</translation>
        </message>
        <message>
            <source>操作已取消，如需继续办理，请重新开始。</source>
            <translation>The operation was cancelled. To continue, please start again.</translation>
        </message>
        <message>
            <source>打印机缺纸，请联系工作人员加纸后重试。</source>
            <translation>The printer is out of paper. Please ask a staff member to add paper, then try again.</translation>
        </message>
        <message>
            <source>打印机盖未合上，请联系工作人员合上后重试。</source>
            <translation>The printer cover is open. Please ask a staff member to close it, then try again.</translation>
        </message>
        <message>
            <source>本终端的打印机暂不可用，无法打印。请联系工作人员，或到服务窗口办理。</source>
            <translation>This kiosk's printer is unavailable, so nothing can be printed. Please ask a staff member, or go to a service window.</translation>
        </message>
        <message>
            <source>打印机正在维护，暂停打印。请稍后再试，或联系工作人员。</source>
            <translation>The printer is under maintenance and printing is paused. Please try again later, or ask a staff member.</translation>
        </message>
        <message>
            <source>打印过程中纸张用完，凭条可能不完整。请联系工作人员加纸后重新打印。</source>
            <translation>The paper ran out while printing; the slip may be incomplete. Please ask a staff member to add paper, then print again.</translation>
        </message>
        <message>
            <source>打印过程中打印机盖被打开，凭条可能不完整。请联系工作人员处理后重新打印。</source>
            <translation>The printer cover was opened while printing; the slip may be incomplete. Please ask a staff member, then print again.</translation>
        </message>
        <message>
            <source>打印机没有响应，凭条未能打印完成。请稍后重试，或联系工作人员。</source>
            <translation>The printer did not respond and the slip was not finished. Please try again later, or ask a staff member.</translation>
        </message>
        <message>
            <source>没有检测到身份证，请将身份证平放在读卡区，保持不动。</source>
            <translation>No ID card detected. Please lay your ID card flat on the reader and keep it still.</translation>
        </message>
        <message>
            <source>身份证没有读取成功。请重新将身份证平放在读卡区，保持不动，直到提示读卡成功。</source>
            <translation>The ID card was not read. Please lay it flat on the reader again and keep it still until you are told it has been read.</translation>
        </message>
        <message>
            <source>读卡时身份证被移动或拿开了。请重新将身份证平放在读卡区，保持不动，直到提示读卡成功。</source>
            <translation>The ID card was moved or taken away while being read. Please lay it flat on the reader again and keep it still until you are told it has been read.</translation>
        </message>
        <message>
            <source>身份证信息没有读完整，请重新放置身份证；如一直出现，请联系工作人员。</source>
            <translation>The ID card was not read completely. Please place it again; if this keeps happening, ask a staff member.</translation>
        </message>
        <message>
            <source>这张证件无法读取，请确认是有效的居民身份证或居住证；仍不行，请联系工作人员。</source>
            <translation>This card cannot be read. Please make sure it is a valid resident ID card or residence permit; if it still fails, ask a staff member.</translation>
        </message>
        <message>
            <source>身份证阅读器暂时无法使用，请使用其他方式办理，或联系工作人员。</source>
            <translation>The ID card reader is unavailable for now. Please use another way, or ask a staff member.</translation>
        </message>
        <message>
            <source>没能识别这个码，请把二维码对准扫码口重新扫描；仍不行，请联系工作人员。</source>
            <translation>This code was not recognised. Hold the QR code to the scanner and scan again; if it still fails, ask a staff member.</translation>
        </message>
        <message>
            <source>未检测到社保卡，请将社保卡芯片朝内插入读卡口。</source>
            <translation>No social security card detected. Please insert it with the chip facing in.</translation>
        </message>
        <message>
            <source>读卡过程中社保卡被拔出，请重新插入社保卡，读取完成前请不要拔卡。</source>
            <translation>The social security card was pulled out while being read. Please insert it again and leave it in until reading is complete.</translation>
        </message>
        <message>
            <source>这张卡不是社会保障卡，请取出后插入您的社保卡（卡面印有“社会保障卡”字样）。</source>
            <translation>This is not a social security card. Please take it out and insert your social security card (marked "社会保障卡").</translation>
        </message>
        <message>
            <source>社保卡读取失败，请取出后重新插卡；仍不行，请联系工作人员。</source>
            <translation>The social security card could not be read. Please take it out and insert it again; if it still fails, ask a staff member.</translation>
        </message>
        <message>
            <source>社保卡读取失败（错误码 {sw}），请取出后重新插卡；仍不行，请联系工作人员。</source>
            <translation>The social security card could not be read (error {sw}). Please take it out and insert it again; if it still fails, ask a staff member.</translation>
        </message>
        <message>
            <source>社保卡无响应，请取出后检查插卡方向，芯片朝内重新插入；仍不行，请到社保窗口检测卡片。</source>
            <translation>The social security card does not respond. Take it out, check that the chip faces in and insert it again; if it still fails, have it checked at the social security window.</translation>
        </message>
        <message>
            <source>社保卡读取异常，请取出后重新插卡；仍不行，请到社保窗口检测卡片。</source>
            <translation>The social security card read abnormally. Please take it out and insert it again; if it still fails, have it checked at the social security window.</translation>
        </message>
        <message>
            <source>社保卡芯片故障，无法读取，请到社保窗口检测或补换卡。</source>
            <translation>The social security card's chip is faulty and cannot be read. Please have it checked or replaced at the social security window.</translation>
        </message>
        <message>
            <source>社保卡数据不完整或格式异常，无法识别，请到社保窗口检测卡片。</source>
            <translation>The social security card's data is incomplete or malformed. Please have it checked at the social security window.</translation>
        </message>
        <message>
            <source>这张社保卡的社保应用已停用（可能已挂失或注销），请携带身份证到社保窗口办理。</source>
            <translation>This card's social security application is disabled (perhaps reported lost or cancelled). Please bring your ID card to the social security window.</translation>
        </message>
        <message>
            <source>这张社保卡需要验证密码后才能读取，本机暂不支持，请到人工窗口办理。</source>
            <translation>This social security card needs its PIN to be read, which this kiosk does not support. Please go to a staffed window.</translation>
        </message>
        <message>
            <source>社保卡密码已锁定，请携带身份证到社保窗口解锁。</source>
            <translation>This social security card's PIN is locked. Please bring your ID card to the social security window to unlock it.</translation>
        </message>
        <message>
            <source>社保卡当前不可用（可能未启用），请到社保窗口咨询。</source>
            <translation>This social security card cannot be used now (perhaps not activated). Please ask at the social security window.</translation>
        </message>
        <message>
            <source>社保卡读卡器暂不可用，暂时不能读社保卡。请使用其他方式办理，或联系工作人员。</source>
            <translation>The social security card reader is unavailable, so cards cannot be read for now. Please use another way, or ask a staff member.</translation>
        </message>
        <message>
            <source>摄像头暂时无法使用，请联系工作人员，或到服务窗口办理。</source>
            <translation>The camera is unavailable for now. Please ask a staff member, or go to a service window.</translation>
        </message>
        <message>
            <source>未通过活体检测，请本人正对屏幕并眨眨眼，不要使用照片。</source>
            <translation>The liveness check failed. Please face the screen yourself and blink; do not use a photo.</translation>
        </message>
        <message>
            <source>未能完成人脸采集，请按屏幕提示调整后重新开始，或联系工作人员。</source>
            <translation>The face capture was not completed. Please adjust as the screen says and start again, or ask a staff member.</translation>
        </message>
        <message>
            <source>未能完成人脸采集。最后的提示是：{hint}请按提示调整后重新开始，或联系工作人员。</source>
            <translation>The face capture was not completed. The last hint was: {hint} Please adjust and start again, or ask a staff member.</translation>
        </message>
        <message>
            <source>很好，请保持不动。</source>
            <translation>Good, please hold still.</translation>
        </message>
        <message>
            <source>未检测到人脸，请正对屏幕。</source>
            <translation>No face detected. Please face the screen.</translation>
        </message>
        <message>
            <source>检测到多张人脸，请一人办理。</source>
            <translation>More than one face detected. One person at a time, please.</translation>
        </message>
        <message>
            <source>请靠近一点。</source>
            <translation>Please come a little closer.</translation>
        </message>
        <message>
            <source>请后退一点。</source>
            <translation>Please move back a little.</translation>
        </message>
        <message>
            <source>请把脸移到框中间。</source>
            <translation>Please move your face to the centre of the frame.</translation>
        </message>
        <message>
            <source>画面模糊，请保持不动。</source>
            <translation>The picture is blurred. Please hold still.</translation>
        </message>
        <message>
            <source>光线太暗，请靠近灯光。</source>
            <translation>It is too dark. Please move closer to the light.</translation>
        </message>
        <message>
            <source>光线太强，请避开强光。</source>
            <translation>It is too bright. Please avoid the strong light.</translation>
        </message>
        <message>
            <source>请眨眨眼。</source>
            <translation>Please blink.</translation>
        </message>
        <message>
            <source>人脸采集完成。</source>
            <translation>Face capture complete.</translation>
        </message>
        <message>
            <source>未找到材料边缘，请把材料平放在拍摄区域中间，四个角都露出来。</source>
            <translation>The edges of the material were not found. Lay it flat in the middle of the capture area with all four corners showing.</translation>
        </message>
        <message>
            <source>请保持材料不动。</source>
            <translation>Please keep the material still.</translation>
        </message>
        <message>
            <source>暂时连不上政务服务平台，请稍后再试；如急需办理，请到服务窗口或联系工作人员。</source>
            <translation>The government service platform cannot be reached now. Please try again later; if it is urgent, go to a service window or ask a staff member.</translation>
        </message>
        <message>
            <source>政务服务平台响应超时，请稍后再试；如急需办理，请到服务窗口或联系工作人员。</source>
            <translation>The government service platform did not answer in time. Please try again later; if it is urgent, go to a service window or ask a staff member.</translation>
        </message>
        <message>
            <source>与政务服务平台的连接中断，请稍后再试；如急需办理，请到服务窗口或联系工作人员。</source>
            <translation>The connection to the government service platform was interrupted. Please try again later; if it is urgent, go to a service window or ask a staff member.</translation>
        </message>
        <message>
            <source>政务服务平台暂时出现故障，请稍后再试；如急需办理，请到服务窗口或联系工作人员。</source>
            <translation>The government service platform has a fault. Please try again later; if it is urgent, go to a service window or ask a staff member.</translation>
        </message>
        <message>
            <source>与政务服务平台的安全连接校验失败，为保护您的信息已停止办理，请联系工作人员。</source>
            <translation>The secure connection to the government service platform failed its check; to protect your information the service was stopped. Please ask a staff member.</translation>
        </message>
        <message>
            <source>本终端的安全证书配置缺失，暂时无法连接政务服务平台，请联系工作人员。</source>
            <translation>This kiosk's security certificates are missing, so it cannot connect to the government service platform. Please ask a staff member.</translation>
        </message>
        <message>
            <source>本终端的联网配置有误，暂时无法连接政务服务平台，请联系工作人员。</source>
            <translation>This kiosk's network settings are wrong, so it cannot connect to the government service platform. Please ask a staff member.</translation>
        </message>
        <message>
            <source>平台未能受理本次请求，请核对后重试或联系工作人员。</source>
            <translation>The platform did not accept this request. Please check and try again, or ask a staff member.</translation>
        </message>
        <message>
            <source>政务服务平台返回的内容无法识别，请稍后再试或联系工作人员。</source>
            <translation>The government service platform's answer could not be understood. Please try again later or ask a staff member.</translation>
        </message>
        <message>
            <source>终端请求签名无效，请联系工作人员检查终端密钥。</source>
            <translation>The kiosk's request signature is invalid. Please ask a staff member to check the kiosk key.</translation>
        </message>
        <message>
            <source>终端时间与服务器不一致，请稍后重试；如仍失败，请联系工作人员校准时间。</source>
            <translation>The kiosk's clock does not match the server's. Please try again later; if it still fails, ask a staff member to set the time.</translation>
        </message>
        <message>
            <source>暂时无法获取办事事项目录，本终端也没有保存的目录。请稍后再试，或到服务窗口办理。</source>
            <translation>The list of services cannot be fetched now, and this kiosk has no saved copy. Please try again later, or go to a service window.</translation>
        </message>
        <message>
            <source>本终端暂未开通这种身份核验方式，请使用身份证，或到服务窗口办理。</source>
            <translation>This kiosk does not offer this way of verifying identity yet. Please use your ID card, or go to a service window.</translation>
        </message>
        <message>
            <source>当前网络中断：可查看办事指南，提交的申请将先保存在本机，联网后自动发送。</source>
            <translation>The network is down: you can read service guides; applications are saved on this kiosk and sent automatically when the network is back.</translation>
        </message>
        <message>
            <source>当前网络中断：可查看办事指南，暂不能在本机办理，请联网后再试或到服务窗口办理。</source>
            <translation>The network is down: you can read service guides, but services cannot be handled here now. Please try again later or go to a service window.</translation>
        </message>
        <message>
            <source>网络中断，暂时连不上政务服务平台，「{name}」需要联网才能办理。您可以稍后再试，或到村（社区）便民服务站窗口办理。</source>
            <translation>The network is down and the government service platform cannot be reached; "{name}" needs the network. You can try again later, or apply at the village (community) service station window.</translation>
        </message>
        <message>
            <source>本终端暂未开通「{name}」的自助办理，您的信息没有被读取或保存。</source>
            <translation>This kiosk cannot handle "{name}" by itself yet; none of your information was read or stored.</translation>
        </message>
        <message>
            <source>本终端暂未开通「{name}」的网上提交，您填写和提供的内容没有发送，返回首页时会全部清除。</source>
            <translation>This kiosk cannot submit "{name}" online yet; what you entered and provided was not sent and will all be cleared when you return home.</translation>
        </message>
        <message>
            <source>请到「{window}」办理，或返回首页选择其他业务。</source>
            <translation>Please apply at "{window}", or return home and choose another service.</translation>
        </message>
        <message>
            <source>您可以点「重试」再试一次；多次失败请点「请联系工作人员」。</source>
            <translation>You can tap "Retry" to try again; if it keeps failing, tap "Ask a staff member".</translation>
        </message>
        <message>
            <source>您可以点「换一种方式」继续办理，或点「请联系工作人员」。</source>
            <translation>You can tap "Another way" to go on, or tap "Ask a staff member".</translation>
        </message>
        <message>
            <source>您可以点「重试」，或「换一种方式」继续办理；多次失败请点「请联系工作人员」。</source>
            <translation>You can tap "Retry" or "Another way" to go on; if it keeps failing, tap "Ask a staff member".</translation>
        </message>
        <message>
            <source>请点「返回首页」，或点「请联系工作人员」请工作人员协助。</source>
            <translation>Please tap "Home", or tap "Ask a staff member" for help.</translation>
        </message>
        <message>
            <source>已通知工作人员，工作人员马上到，请在终端旁稍候。</source>
            <translation>A staff member has been told and is coming. Please wait by the kiosk.</translation>
        </message>
        <message>
            <source>暂时没能通知到工作人员，请到服务窗口或大厅找工作人员帮忙。</source>
            <translation>The staff could not be notified. Please ask a staff member at the service window or in the hall.</translation>
        </message>
        <message>
            <source>请填写「{label}」，这一项必须填写。</source>
            <translation>Please fill in "{label}"; it is required.</translation>
        </message>
        <message>
            <source>请选择「{label}」：在下面的选项中点选一项。</source>
            <translation>Please choose "{label}": tap one of the options below.</translation>
        </message>
        <message>
            <source>「{label}」应填写数字，请用下方数字键重新输入。</source>
            <translation>"{label}" must be a number. Please enter it again with the keypad below.</translation>
        </message>
        <message>
            <source>「{label}」应为金额（元），最多两位小数，请重新输入。</source>
            <translation>"{label}" must be an amount in yuan with at most two decimals. Please enter it again.</translation>
        </message>
        <message>
            <source>「{label}」应在 {min} 至 {max} 之间，请重新输入。</source>
            <translation>"{label}" must be between {min} and {max}. Please enter it again.</translation>
        </message>
        <message>
            <source>手机号码应为 11 位数字，以 1 开头，请重新输入。</source>
            <translation>A mobile number has 11 digits and starts with 1. Please enter it again.</translation>
        </message>
        <message>
            <source>身份证号码应为 18 位，最后一位可以是 X，请核对后重新输入。</source>
            <translation>An ID number has 18 characters; the last may be X. Please check and enter it again.</translation>
        </message>
        <message>
            <source>「{label}」不是有效日期，请重新选择。</source>
            <translation>"{label}" is not a valid date. Please choose again.</translation>
        </message>
        <message>
            <source>「{label}」最多 {max} 个字，请删减后再继续。</source>
            <translation>"{label}" allows at most {max} characters. Please shorten it before going on.</translation>
        </message>
        <message>
            <source>「{label}」至少需要 {min} 个字，请补充后再继续。</source>
            <translation>"{label}" needs at least {min} characters. Please add more before going on.</translation>
        </message>
        <message>
            <source>「{label}」的格式不正确，请核对后重新输入。</source>
            <translation>"{label}" is not in the right format. Please check and enter it again.</translation>
        </message>
        <message>
            <source>屏幕键盘暂时无法使用，这一项不能在本机填写，请点「帮办」请工作人员协助。</source>
            <translation>The on-screen keyboard is unavailable, so this cannot be filled in here. Please tap "Help" for a staff member.</translation>
        </message>
        <message>
            <source>以下信息已根据您的证件和登记资料自动填写，请核对；有误请点「修改」。</source>
            <translation>The details below were filled in from your card and registered records. Please check them; tap "Change" if anything is wrong.</translation>
        </message>
        <message>
            <source>请为「{name}」选择一种提供方式，再点「下一份」。</source>
            <translation>Please choose how to provide "{name}", then tap "Next material".</translation>
        </message>
        <message>
            <source>没有查到您名下可直接使用的{kind}，请选择下面其他方式提供。</source>
            <translation>No {kind} in your name that can be used directly was found. Please choose another way below.</translation>
        </message>
        <message>
            <source>本终端无法提供「{name}」：提交申请后，请在承诺期限内把它带到{window}。</source>
            <translation>This kiosk cannot provide "{name}": after submitting, please bring it to {window} within the promised time.</translation>
        </message>
        <message>
            <source>请先用手指在框内签名，再点「确认签名」。</source>
            <translation>Please sign with your finger in the box first, then tap "Confirm signature".</translation>
        </message>
        <message>
            <source>没有拍到完整的材料，请把材料平放在高拍仪下方，四个角都露出来，再点「重新拍照」。</source>
            <translation>The whole material was not captured. Lay it flat under the document camera with all four corners showing, then tap "Retake".</translation>
        </message>
        <message>
            <source>读卡器连接中断，正在自动重连。如长时间无法读卡，请联系工作人员。</source>
            <translation>The card reader disconnected and is reconnecting. If cards cannot be read for a long time, please ask a staff member.</translation>
        </message>
        <message>
            <source>本终端保存的办事目录暂时无法读取，请稍后再试；如多次出现，请联系工作人员。</source>
            <translation>The service list saved on this kiosk cannot be read now. Please try again later; if this keeps happening, ask a staff member.</translation>
        </message>
        <message>
            <source>本终端暂时无法保存待发送的数据，这次提交没有完成，您的信息没有被保存。请到服务窗口办理，或联系工作人员。</source>
            <translation>This kiosk cannot save data waiting to be sent, so this submission was not completed and your information was not saved. Please go to a service window, or ask a staff member.</translation>
        </message>
        <message>
            <source>本终端现在没有可用的身份核验设备，请点「帮办」请工作人员协助，或到服务窗口办理。</source>
            <translation>This kiosk has no identity device available now. Please tap "Help" for a staff member, or go to a service window.</translation>
        </message>
        <message>
            <source>也可以到「{name}」办理：{address}，电话 {phone}。</source>
            <translation>You can also apply at "{name}": {address}, phone {phone}.</translation>
        </message>
        <message>
            <source>本事项在本终端没有其他可用的核验方式，请到服务窗口办理，或点「帮办」请工作人员协助。</source>
            <translation>This service has no other way to verify identity at this kiosk. Please go to a service window, or tap "Help" for a staff member.</translation>
        </message>
        <message>
            <source>扫码器连接中断，正在自动重连。请稍候，或改用其他方式核验身份。</source>
            <translation>The scanner disconnected and is reconnecting. Please wait, or verify your identity another way.</translation>
        </message>
        <message>
            <source>社保卡已拔出，为保护您的信息，本次办理已结束。如需继续，请重新插卡办理。</source>
            <translation>The social security card was pulled out; to protect your information this session has ended. To continue, insert the card and start again.</translation>
        </message>
        <message>
            <source>您的身份证已过有效期，请改用其他方式核验身份，或到服务窗口办理。</source>
            <translation>Your ID card has expired. Please verify your identity another way, or go to a service window.</translation>
        </message>
        <message>
            <source>您的社保卡已过有效期，请改用其他方式核验身份，并到银行网点换领社保卡。</source>
            <translation>Your social security card has expired. Please verify your identity another way, and get a new card at a bank branch.</translation>
        </message>
        <message>
            <source>电子身份证二维码无效或已过期，请在手机上刷新二维码后重新扫描。</source>
            <translation>The e-ID QR code is invalid or expired. Please refresh it on your phone and scan again.</translation>
        </message>
        <message>
            <source>人脸核验未通过次数过多，请到服务窗口由工作人员协助办理。</source>
            <translation>The face check failed too many times. Please go to a service window for a staff member's help.</translation>
        </message>
        <message>
            <source>这个事项需要本人办理，不能代办。</source>
            <translation>This service must be applied for in person; it cannot be done by an agent.</translation>
        </message>
        <message>
            <source>代办人不能是办理人本人，请由代办人放置自己的身份证。</source>
            <translation>The agent cannot be the applicant. The agent, please place your own ID card.</translation>
        </message>
        <message>
            <source>您没有同意人脸识别，本机没有采集您的面部图像。本事项需要核验本人面部，您可以改为同意，或到「{window}」办理。</source>
            <translation>You did not agree to the face check, so no image of your face was taken. This service needs a face check: you can agree instead, or apply at "{window}".</translation>
        </message>
        <message>
            <source>人脸比对未通过，请本人正对摄像头，摘下帽子和口罩后再试。还可以再试 {left} 次。</source>
            <translation>The face comparison did not match. Please face the camera, take off any hat and mask, and try again. {left} tries left.</translation>
        </message>
        <message>
            <source>人脸核验多次未通过，本次不能在本机继续。请到「{window}」由工作人员协助办理，或点「请联系工作人员」。</source>
            <translation>The face check failed several times and cannot go on here. Please apply at "{window}" with a staff member's help, or tap "Ask a staff member".</translation>
        </message>
        <message>
            <source>请调整后点「再试一次」。</source>
            <translation>Please adjust, then tap "Try again".</translation>
        </message>
        <message>
            <source>说明：本平台的人脸比对是测试用的模拟比对，并非真实的生物特征识别。</source>
            <translation>Note: this platform's face comparison is a test simulation, not real biometric recognition.</translation>
        </message>
        <message>
            <source>请先选择代办人与办理人的关系，再放置代办人的身份证。</source>
            <translation>Please first choose how the agent is related to the applicant, then place the agent's ID card.</translation>
        </message>
        <message>
            <source>A4 打印机缺纸，证明未能打印。请联系工作人员加纸后重试，或改为打印凭条。</source>
            <translation>The A4 printer is out of paper and the certificate was not printed. Please ask a staff member to add paper and try again, or print a slip instead.</translation>
        </message>
        <message>
            <source>A4 打印机的机盖未合上，证明未能打印。请联系工作人员处理后重试，或改为打印凭条。</source>
            <translation>The A4 printer's cover is open and the certificate was not printed. Please ask a staff member and try again, or print a slip instead.</translation>
        </message>
        <message>
            <source>A4 打印机卡纸，证明未能打印完成。请联系工作人员处理后重试，或改为打印凭条。</source>
            <translation>The A4 printer has a paper jam and the certificate was not finished. Please ask a staff member and try again, or print a slip instead.</translation>
        </message>
        <message>
            <source>A4 打印机墨粉用完，证明未能打印。请联系工作人员更换后重试，或改为打印凭条。</source>
            <translation>The A4 printer is out of toner and the certificate was not printed. Please ask a staff member to replace it and try again, or print a slip instead.</translation>
        </message>
        <message>
            <source>A4 打印机未连接或未开机，证明未能打印。请联系工作人员检查，或改为打印凭条。</source>
            <translation>The A4 printer is not connected or not switched on and the certificate was not printed. Please ask a staff member, or print a slip instead.</translation>
        </message>
        <message>
            <source>A4 打印机已暂停工作，证明未能打印。请联系工作人员处理，或改为打印凭条。</source>
            <translation>The A4 printer is paused and the certificate was not printed. Please ask a staff member, or print a slip instead.</translation>
        </message>
        <message>
            <source>A4 打印机暂不接收打印任务，请联系工作人员处理，或改为打印凭条。</source>
            <translation>The A4 printer is not accepting jobs. Please ask a staff member, or print a slip instead.</translation>
        </message>
        <message>
            <source>A4 打印服务暂不可用，证明未能打印。请联系工作人员，或改为打印凭条。</source>
            <translation>The A4 printing service is unavailable and the certificate was not printed. Please ask a staff member, or print a slip instead.</translation>
        </message>
        <message>
            <source>本终端未配置 A4 打印机，请改为打印凭条或到服务窗口办理。</source>
            <translation>This kiosk has no A4 printer. Please print a slip instead or go to a service window.</translation>
        </message>
        <message>
            <source>A4 打印机正在维护，暂停打印，请改为打印凭条或联系工作人员。</source>
            <translation>The A4 printer is under maintenance and printing is paused. Please print a slip instead or ask a staff member.</translation>
        </message>
        <message>
            <source>A4 证明打印失败，请重试；如多次失败，请改为打印凭条或联系工作人员。</source>
            <translation>Printing the A4 certificate failed. Please try again; if it keeps failing, print a slip instead or ask a staff member.</translation>
        </message>
        <message>
            <source>A4 打印机长时间没有完成打印，证明可能未打印完整。请联系工作人员检查后重试。</source>
            <translation>The A4 printer did not finish for a long time; the certificate may be incomplete. Please ask a staff member to check, then try again.</translation>
        </message>
        <message>
            <source>A4 打印机墨粉不足，请工作人员尽快更换。</source>
            <translation>The A4 printer's toner is low. Staff, please replace it soon.</translation>
        </message>
        <message>
            <source>A4 打印机暂时无法打印，已为您改为打印凭条，请取走凭条；如需 A4 证明，请联系工作人员。</source>
            <translation>The A4 printer cannot print now, so a slip was printed instead. Please take the slip; if you need the A4 certificate, ask a staff member.</translation>
        </message>
        <message>
            <source>请取走您的{things}，谢谢您的使用。</source>
            <translation>Please take your {things}. Thank you.</translation>
        </message>
        <message>
            <source>您的社保卡还插在读卡口里，请拔出社保卡并带走。</source>
            <translation>Your social security card is still in the slot. Please pull it out and take it with you.</translation>
        </message>
        <message>
            <source>未查询到相关记录。如有疑问，请拨打事项咨询电话或到窗口咨询。</source>
            <translation>No records were found. If you have questions, call the service's enquiry number or ask at the window.</translation>
        </message>
        <message>
            <source>您已完成认证，有效期至 {until}，无需重复认证。</source>
            <translation>You are already certified, valid until {until}; there is no need to certify again.</translation>
        </message>
        <message>
            <source>如需重新认证，请点「重新认证」，有效期从本次认证起重新计算。</source>
            <translation>To certify again, tap "Certify again"; the validity then runs from this certification.</translation>
        </message>
        <message>
            <source>您还在操作吗？{seconds}秒后将返回首页，并清除您的信息。如需继续，请点屏幕上的「继续办理」。</source>
            <translation>Are you still there? In {seconds} seconds this returns to the home screen and clears your information. To continue, tap "Continue" on the screen.</translation>
        </message>
        <message>
            <source>还有{seconds}秒返回首页。如需继续，请点「继续办理」。</source>
            <translation>{seconds} seconds until the home screen. To continue, tap "Continue".</translation>
        </message>
        <message>
            <source>{seconds}。</source>
            <translation>{seconds}.</translation>
        </message>
        <message>
            <source>您还在办理吗？不着急，慢慢来。要继续，请点屏幕上的「继续办理」。{seconds}秒后回到首页。</source>
            <translation>Are you still there? Take your time. To go on, tap "Continue" on the screen. In {seconds} seconds we return to the home screen.</translation>
        </message>
        <message>
            <source>不着急。要继续办理，请点「继续办理」。还有{seconds}秒。</source>
            <translation>Take your time. To go on, tap "Continue". {seconds} seconds left.</translation>
        </message>
        <message>
            <source>没有查到需要缴纳的费用。如有疑问，请到服务窗口咨询，或点「返回首页」。</source>
            <translation>No fees are due. If you have questions, ask at a service window, or tap "Home".</translation>
        </message>
        <message>
            <source>这笔费用已经缴纳，无需重复缴费。如需缴费凭证，请点「补打缴费凭证」。</source>
            <translation>This fee has already been paid; there is no need to pay again. For the receipt, tap "Reprint payment receipt".</translation>
        </message>
        <message>
            <source>「{label}」应为 {min} 至 {max} 位数字，请核对缴费通知单后重新输入，或扫描通知单上的条形码。</source>
            <translation>"{label}" must have {min} to {max} digits. Please check the payment notice and enter it again, or scan its barcode.</translation>
        </message>
        <message>
            <source>请先点选要缴纳的档次或账单，再点「下一步」。</source>
            <translation>Please first choose the level or bill to pay, then tap "Next".</translation>
        </message>
        <message>
            <source>网络不稳定，仍在查询支付结果。已在手机上付款的，请不要重复付款。</source>
            <translation>The network is unstable; still checking the payment. If you have paid on your phone, do not pay again.</translation>
        </message>
        <message>
            <source>支付等待已超时。如您已在手机上付款，款项不会丢失，请凭订单号和查询码点「补打缴费凭证」；未付款的订单会自动失效，不会扣款。</source>
            <translation>Waiting for the payment timed out. If you paid on your phone, the money is not lost: tap "Reprint payment receipt" with the order number and check code. Unpaid orders expire by themselves and nothing is charged.</translation>
        </message>
        <message>
            <source>已停止等待支付。如您已在手机上付款，款项不会丢失：请凭订单号和查询码，在缴费事项中点「补打缴费凭证」。未付款的订单在 {until} 后自动失效，不会扣款。</source>
            <translation>Stopped waiting for the payment. If you paid on your phone, the money is not lost: use the order number and check code with "Reprint payment receipt" in the payment service. Unpaid orders expire after {until} and nothing is charged.</translation>
        </message>
        <message>
            <source>这笔订单已被新的支付二维码取代，旧二维码不能再付款，请返回重新选择支付方式。</source>
            <translation>This order was replaced by a new payment QR code; the old code can no longer be paid. Please go back and choose a payment method again.</translation>
        </message>
        <message>
            <source>请输入缴费订单上的订单号（DD 开头）和 6 位查询码，或扫描订单上的二维码。</source>
            <translation>Enter the order number (starting with DD) and the 6-digit check code from the payment order, or scan its QR code.</translation>
        </message>
        <message>
            <source>这笔订单还没有付款记录。如您刚刚付款，请稍等片刻再点「查询」；未付款的订单到期自动失效，不会扣款。</source>
            <translation>This order has no payment yet. If you have just paid, wait a moment and tap "Search"; unpaid orders expire by themselves and nothing is charged.</translation>
        </message>
        <message>
            <source>这笔订单已失效且没有付款，没有扣款。如需缴费，请返回重新办理。</source>
            <translation>This order has expired without payment; nothing was charged. To pay, please start again.</translation>
        </message>
        <message>
            <source>订单 {order_no} 的缴费凭证已打印，请取走凭条。办完请点「返回首页」。</source>
            <translation>The payment receipt for order {order_no} has been printed; please take the slip. When you are done, tap "Home".</translation>
        </message>
        <message>
            <source>这个码不是缴费订单的二维码，请扫描缴费订单凭条上的二维码，或输入订单号和查询码。</source>
            <translation>This is not a payment order's QR code. Scan the QR code on the payment order slip, or enter the order number and check code.</translation>
        </message>
        <message>
            <source>您选的时段刚刚被约满了，请重新选择其他时段。</source>
            <translation>The time you chose has just been fully booked. Please choose another time.</translation>
        </message>
        <message>
            <source>您已经预约过这一天的该业务，无需重复预约。如需改期，请拨打咨询电话或到窗口办理。</source>
            <translation>You have already booked this service on this day; there is no need to book again. To change the date, call the enquiry number or go to the window.</translation>
        </message>
        <message>
            <source>近期没有可预约的时段，请过几天再试，或直接到办理窗口办理。</source>
            <translation>There are no times to book soon. Please try again in a few days, or go straight to the service window.</translation>
        </message>
        <message>
            <source>请先点选一个可预约的时段，再点「确认预约」。</source>
            <translation>Please first tap a time that can be booked, then tap "Confirm booking".</translation>
        </message>
        <message>
            <source>请输入受理回执上的受理编号，和申请人身份证号码的后 4 位，再点「查询」。</source>
            <translation>Enter the acceptance number on the receipt and the last 4 digits of the applicant's ID number, then tap "Search".</translation>
        </message>
        <message>
            <source>这个码不是受理回执上的二维码，请扫描受理回执上的二维码，或输入受理编号。</source>
            <translation>This is not the QR code of an acceptance receipt. Scan the QR code on the receipt, or enter the acceptance number.</translation>
        </message>
        <message>
            <source>没有查到您本人的办件记录。如是他人或在窗口办理的，请点「按受理编号查询」。</source>
            <translation>No applications in your name were found. For someone else's, or one made at a window, tap "Search by acceptance number".</translation>
        </message>
    </context>
    <context>
        <name>receipts</name>
        <message>
            <source>姓名</source>
            <translation>Name</translation>
        </message>
        <message>
            <source>证件号码</source>
            <translation>ID number</translation>
        </message>
        <message>
            <source>办理人</source>
            <translation>Applicant</translation>
        </message>
        <message>
            <source>代办人</source>
            <translation>Agent</translation>
        </message>
        <message>
            <source>打印时间</source>
            <translation>Printed</translation>
        </message>
        <message>
            <source>终端编号</source>
            <translation>Kiosk</translation>
        </message>
        <message>
            <source>查询结果</source>
            <translation>Query result</translation>
        </message>
        <message>
            <source>未查询到记录。</source>
            <translation>No records found.</translation>
        </message>
        <message>
            <source>本凭条仅供参考，以业务系统记录为准。</source>
            <translation>This slip is for reference only; the records of the business system prevail.</translation>
        </message>
        <message>
            <source>认证事项</source>
            <translation>Certification</translation>
        </message>
        <message>
            <source>认证结果</source>
            <translation>Result</translation>
        </message>
        <message>
            <source>认证成功</source>
            <translation>Certified</translation>
        </message>
        <message>
            <source>认证编号</source>
            <translation>Certification no.</translation>
        </message>
        <message>
            <source>认证时间</source>
            <translation>Certified at</translation>
        </message>
        <message>
            <source>有效期至</source>
            <translation>Valid until</translation>
        </message>
        <message>
            <source>温馨提示</source>
            <translation>Note</translation>
        </message>
        <message>
            <source>认证凭证</source>
            <translation>Certification receipt</translation>
        </message>
        <message>
            <source>本凭证仅供留存，认证结果以业务系统记录为准。</source>
            <translation>Keep this receipt; the business system's record of the certification prevails.</translation>
        </message>
        <message>
            <source>出具单位</source>
            <translation>Issued by</translation>
        </message>
        <message>
            <source>核验码</source>
            <translation>Verification code</translation>
        </message>
        <message>
            <source>扫码核验本证明真伪</source>
            <translation>Scan to verify this certificate</translation>
        </message>
        <message>
            <source>广东政务服务 · 村级自助服务终端</source>
            <translation>Guangdong Government Services · Village Self-Service Kiosk</translation>
        </message>
        <message>
            <source>事项名称</source>
            <translation>Service</translation>
        </message>
        <message>
            <source>受理编号</source>
            <translation>Application no.</translation>
        </message>
        <message>
            <source>受理时间</source>
            <translation>Accepted at</translation>
        </message>
        <message>
            <source>受理部门</source>
            <translation>Department</translation>
        </message>
        <message>
            <source>承诺时限</source>
            <translation>Promised time limit</translation>
        </message>
        <message>
            <source>已收材料</source>
            <translation>Materials received</translation>
        </message>
        <message>
            <source>待补正材料（容缺受理）</source>
            <translation>Materials to follow (accepted pending)</translation>
        </message>
        <message>
            <source>受理凭证</source>
            <translation>Acceptance receipt</translation>
        </message>
        <message>
            <source>扫码查询办理进度</source>
            <translation>Scan to follow the progress</translation>
        </message>
        <message>
            <source>请妥善保管本凭证，凭受理编号查询进度。</source>
            <translation>Keep this receipt; check the progress with the application number.</translation>
        </message>
        <message>
            <source>办理事项</source>
            <translation>Service</translation>
        </message>
        <message>
            <source>办理地点</source>
            <translation>Where</translation>
        </message>
        <message>
            <source>办理窗口</source>
            <translation>Window</translation>
        </message>
        <message>
            <source>取号时间</source>
            <translation>Ticket time</translation>
        </message>
        <message>
            <source>排队取号</source>
            <translation>Queue ticket</translation>
        </message>
        <message>
            <source>缴费项目</source>
            <translation>Payment for</translation>
        </message>
        <message>
            <source>缴费期间</source>
            <translation>Period</translation>
        </message>
        <message>
            <source>实缴金额</source>
            <translation>Amount paid</translation>
        </message>
        <message>
            <source>支付方式</source>
            <translation>Payment method</translation>
        </message>
        <message>
            <source>订单号</source>
            <translation>Order no.</translation>
        </message>
        <message>
            <source>交易流水号</source>
            <translation>Transaction no.</translation>
        </message>
        <message>
            <source>支付时间</source>
            <translation>Paid at</translation>
        </message>
        <message>
            <source>缴费凭证</source>
            <translation>Payment receipt</translation>
        </message>
        <message>
            <source>一次性告知单</source>
            <translation>Service guide</translation>
        </message>
        <message>
            <source>办理条件</source>
            <translation>Eligibility</translation>
        </message>
        <message>
            <source>所需材料</source>
            <translation>Materials</translation>
        </message>
        <message>
            <source>无需提交材料。</source>
            <translation>No materials needed.</translation>
        </message>
        <message>
            <source>办理时间</source>
            <translation>Office hours</translation>
        </message>
        <message>
            <source>办理时限</source>
            <translation>Time limit</translation>
        </message>
        <message>
            <source>咨询电话</source>
            <translation>Enquiries</translation>
        </message>
        <message>
            <source>扫码查看办事指南</source>
            <translation>Scan for the service guide</translation>
        </message>
        <message>
            <source>材料齐全可一次办结。</source>
            <translation>With every material it is done in one visit.</translation>
        </message>
        <message>
            <source>法定办结时限</source>
            <translation>Statutory time limit</translation>
        </message>
        <message>
            <source>承诺办结时限</source>
            <translation>Promised time limit</translation>
        </message>
        <message>
            <source>收费标准</source>
            <translation>Fees</translation>
        </message>
        <message>
            <source>办理结果</source>
            <translation>Outcome</translation>
        </message>
        <message>
            <source>办理流程</source>
            <translation>Procedure</translation>
        </message>
        <message>
            <source>投诉电话</source>
            <translation>Complaints</translation>
        </message>
        <message>
            <source>不收费</source>
            <translation>Free of charge</translation>
        </message>
        <message>
            <source>即办</source>
            <translation>Immediate</translation>
        </message>
        <message>
            <source>法律法规未作规定</source>
            <translation>Not set by law</translation>
        </message>
    </context>
</TS>

; Inno Setup 6 script: the per-machine Windows installer of the ID-photo capture station.
;
; Build (after `pyinstaller --noconfirm --clean build.spec` has made dist\studio_app\):
;   iscc /DAppVersion=0.1.0 installer\windows\studio_app.iss
; Without /DAppVersion the version is read from the built studio-app.exe, whose version
; resource build.spec writes from pyproject.toml, so both always agree.
; Optional code signing (docs/packaging.md): define a sign tool named "studiosign" in the
; compiler (iscc "/Sstudiosign=signtool sign /fd sha256 ... $f") and pass /DSignTool=studiosign.
;
; Relative paths in [Setup] and [Files] are relative to this folder.
; This file is UTF-8 with a byte-order mark (Inno Setup needs the BOM for the Chinese text).

#define DistDir AddBackslash(SourcePath) + "..\..\dist\studio_app"
#define ConsoleExe "studio-app.exe"
#define WindowedExe "StudioApp.exe"
#ifndef AppVersion
  #define AppVersion GetStringFileInfo(DistDir + "\" + ConsoleExe, "ProductVersion")
#endif
#if AppVersion == ""
  #error AppVersion is unknown: pass /DAppVersion=... or build dist\studio_app first
#endif
#define AppNameZh "证件照采集工作站"
#define AppNameEn "ID Photo Capture Station"
#define DataFolder "studio_app"

[Setup]
AppId={{F047E8F9-C166-4554-BDE9-49E69CF2F09B}
AppName={#AppNameZh} {#AppNameEn}
AppVersion={#AppVersion}
AppVerName={#AppNameZh} {#AppVersion}
AppPublisher=Studio App
VersionInfoVersion={#AppVersion}
VersionInfoProductName={#AppNameEn}
DefaultDirName={autopf}\StudioApp
DefaultGroupName={#AppNameZh}
DisableProgramGroupPage=yes
; Per-machine: Program Files, shortcuts for all users, needs an administrator.
PrivilegesRequired=admin
; "x64" rather than 6.3's "x64compatible": accepted by every Inno Setup 6 release.
ArchitecturesAllowed=x64
ArchitecturesInstallIn64BitMode=x64
MinVersion=10.0
OutputDir=..\..\dist\installer
OutputBaseFilename=StudioApp-Setup-{#AppVersion}
SetupIconFile=..\..\resources\icons\studio_app.ico
UninstallDisplayIcon={app}\{#WindowedExe}
UninstallDisplayName={#AppNameZh} {#AppNameEn}
Compression=lzma2
SolidCompression=yes
WizardStyle=modern
CloseApplications=yes
ShowLanguageDialog=auto
#ifdef SignTool
SignTool={#SignTool}
SignedUninstaller=yes
#endif

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"
#if FileExists(AddBackslash(CompilerPath) + "Languages\ChineseSimplified.isl")
  #define HaveChinese
Name: "chinesesimplified"; MessagesFile: "compiler:Languages\ChineseSimplified.isl"
#endif

[CustomMessages]
english.OperatorWindow=ID Photo Station (operator window)
english.KioskMode=ID Photo Station (self-service kiosk)
english.SelfTestRunning=Checking the installation (self-test)...
english.SelfTestFailed=The installation self-test failed (exit code %1). The program may not work on this computer.%n%nDetails are in:%n%2
english.PinTitle=Kiosk administrator PIN
english.PinDescription=The PIN that lets staff leave the full-screen kiosk.
english.PinExplain=Enter 6 to 12 digits, or leave both fields empty to set it later with "studio-app kiosk set-pin". The PIN is saved as a hash for the Windows user who runs this setup.
english.PinPrompt=PIN:
english.PinAgain=PIN again:
english.PinBad=The PIN must be 6 to 12 digits, typed the same twice.
english.PinFailed=The kiosk PIN could not be saved (exit code %1). Set it later with: studio-app kiosk set-pin
english.DeleteData=Also delete the photos, orders, settings and logs kept in%n%1 ?%n%nChoose No to keep them (recommended if you will reinstall).
#ifdef HaveChinese
chinesesimplified.OperatorWindow=证件照采集工作站（操作员窗口）
chinesesimplified.KioskMode=证件照采集工作站（自助终端模式）
chinesesimplified.SelfTestRunning=正在检查安装（自检）……
chinesesimplified.SelfTestFailed=安装自检失败（退出码 %1），本程序可能无法在此电脑上正常运行。%n%n详情见：%n%2
chinesesimplified.PinTitle=自助终端管理员密码
chinesesimplified.PinDescription=工作人员退出全屏自助模式时使用的密码。
chinesesimplified.PinExplain=请输入 6–12 位数字；也可以两栏都留空，以后用“studio-app kiosk set-pin”设置。密码只以哈希值保存，属于运行本安装程序的 Windows 用户。
chinesesimplified.PinPrompt=密码：
chinesesimplified.PinAgain=再输入一次：
chinesesimplified.PinBad=密码必须是 6–12 位数字，且两次输入一致。
chinesesimplified.PinFailed=自助终端密码保存失败（退出码 %1）。请以后运行：studio-app kiosk set-pin
chinesesimplified.DeleteData=是否同时删除保存在%n%1%n中的照片、订单、设置和日志？%n%n选择“否”将保留这些数据（准备重新安装时建议保留）。
#endif

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"

[Files]
Source: "{#DistDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\{cm:OperatorWindow}"; Filename: "{app}\{#WindowedExe}"; WorkingDir: "{app}"
Name: "{group}\{cm:KioskMode}"; Filename: "{app}\{#WindowedExe}"; Parameters: "--kiosk"; WorkingDir: "{app}"
Name: "{group}\{cm:UninstallProgram,{#AppNameZh}}"; Filename: "{uninstallexe}"
Name: "{autodesktop}\{cm:OperatorWindow}"; Filename: "{app}\{#WindowedExe}"; WorkingDir: "{app}"; Tasks: desktopicon
Name: "{autodesktop}\{cm:KioskMode}"; Filename: "{app}\{#WindowedExe}"; Parameters: "--kiosk"; WorkingDir: "{app}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#WindowedExe}"; Description: "{cm:LaunchProgram,{#AppNameZh}}"; Flags: nowait postinstall skipifsilent

[UninstallDelete]
Type: files; Name: "{app}\selftest-install.log"
Type: dirifempty; Name: "{app}"

[Code]
const
  SelfTestLog = 'selftest-install.log';

var
  PinPage: TInputQueryWizardPage;

// The kiosk refuses to start until an administrator PIN is set. It can be set here (or, for a
// silent install, with /KIOSKPIN=digits); empty means "later, with studio-app kiosk set-pin".
procedure InitializeWizard();
begin
  PinPage := CreateInputQueryPage(wpSelectTasks, CustomMessage('PinTitle'),
    CustomMessage('PinDescription'), CustomMessage('PinExplain'));
  PinPage.Add(CustomMessage('PinPrompt'), True);
  PinPage.Add(CustomMessage('PinAgain'), True);
end;

function IsValidPin(const Pin: String): Boolean;
var
  I: Integer;
begin
  Result := (Length(Pin) >= 6) and (Length(Pin) <= 12);
  for I := 1 to Length(Pin) do
    if (Pin[I] < '0') or (Pin[I] > '9') then
      Result := False;
end;

function NextButtonClick(CurPageID: Integer): Boolean;
begin
  Result := True;
  if CurPageID = PinPage.ID then
    if (PinPage.Values[0] <> PinPage.Values[1]) or
       ((PinPage.Values[0] <> '') and not IsValidPin(PinPage.Values[0])) then
    begin
      MsgBox(CustomMessage('PinBad'), mbError, MB_OK);
      Result := False;
    end;
end;

function KioskPin(): String;
begin
  Result := ExpandConstant('{param:KIOSKPIN|}');
  if Result = '' then
    Result := PinPage.Values[0];
end;

// Saved for the user who started the setup (not the elevated admin account). studio-app reads
// the PIN from stdin (it passes through cmd's echo, never through studio-app's arguments).
procedure SetKioskPin();
var
  ResultCode: Integer;
  Pin: String;
begin
  Pin := KioskPin();
  if Pin = '' then
    exit;
  if not IsValidPin(Pin) then
    ResultCode := 2
  else if not ExecAsOriginalUser(ExpandConstant('{cmd}'),
      '/C "echo ' + Pin + '| "' + ExpandConstant('{app}\{#ConsoleExe}') + '" kiosk set-pin --pin-stdin"',
      ExpandConstant('{app}'), SW_HIDE, ewWaitUntilTerminated, ResultCode) then
    ResultCode := -1;
  Log(Format('Kiosk PIN set-up exit code: %d', [ResultCode]));
  if ResultCode <> 0 then
    SuppressibleMsgBox(FmtMessage(CustomMessage('PinFailed'), [IntToStr(ResultCode)]), mbError, MB_OK, IDOK);
end;

// The last step of the installation: run the installed program's self-test (the whole photo
// pipeline on the bundled sample). Its bilingual report is kept in {app}\selftest-install.log.
// A failure does not roll the installation back; it is reported (and written to the setup log
// when the installation is silent) so that IT staff know before the studio opens.
procedure RunSelfTest();
var
  ResultCode: Integer;
  Params, LogPath: String;
begin
  LogPath := ExpandConstant('{app}\' + SelfTestLog);
  WizardForm.StatusLabel.Caption := CustomMessage('SelfTestRunning');
  // A throw-away home folder: the self-test must not create data in the installing admin's profile.
  Params := '/C "set "STUDIO_APP_HOME=' + ExpandConstant('{tmp}\selftest-home') + '" && "' +
    ExpandConstant('{app}\{#ConsoleExe}') + '" --self-test > "' + LogPath + '" 2>&1"';
  if not Exec(ExpandConstant('{cmd}'), Params, ExpandConstant('{app}'), SW_HIDE,
              ewWaitUntilTerminated, ResultCode) then
    ResultCode := -1;
  Log(Format('Self-test exit code: %d (report: %s)', [ResultCode, LogPath]));
  if ResultCode <> 0 then
    SuppressibleMsgBox(FmtMessage(CustomMessage('SelfTestFailed'), [IntToStr(ResultCode), LogPath]),
                       mbError, MB_OK, IDOK);
end;

procedure CurStepChanged(CurStep: TSetupStep);
begin
  if CurStep = ssPostInstall then
  begin
    RunSelfTest();
    SetKioskPin();
  end;
end;

// Photos, orders, settings and logs live in the user's data folder (platformdirs:
// %LOCALAPPDATA%\studio_app). They are kept unless the user says to delete them;
// a silent uninstall always keeps them.
procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
var
  DataDir: String;
begin
  if CurUninstallStep = usPostUninstall then
  begin
    DataDir := ExpandConstant('{localappdata}\{#DataFolder}');
    if DirExists(DataDir) and not UninstallSilent() then
      if MsgBox(FmtMessage(CustomMessage('DeleteData'), [DataDir]), mbConfirmation,
                MB_YESNO or MB_DEFBUTTON2) = IDYES then
        DelTree(DataDir, True, True, True);
  end;
end;

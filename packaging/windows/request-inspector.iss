; Inno Setup script: the Windows installer for Request Inspector (NOT built or run on the Linux dev machines).
; Built by packaging/github-actions/installers.yml on windows-latest:
;   pyinstaller --noconfirm packaging/request-inspector.spec        (-> dist\request-inspector\, the onedir)
;   iscc /DMyAppVersion=0.1.0 packaging\windows\request-inspector.iss  (-> dist\request-inspector-0.1.0-setup.exe)
#ifndef MyAppVersion
  #error Pass the version from pyproject.toml: iscc /DMyAppVersion=X.Y.Z request-inspector.iss
#endif
#define MyAppName "Request Inspector"
#define MyAppExe "request-inspector.exe"

[Setup]
AppId={{6F1D3C52-8B7E-4C1A-9E0B-5A2D7C4E9F31}
AppName={#MyAppName}
AppVersion={#MyAppVersion}
AppPublisher=Request Inspector team
DefaultDirName={autopf}\{#MyAppName}
DefaultGroupName={#MyAppName}
DisableProgramGroupPage=yes
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir=..\..\dist
OutputBaseFilename=request-inspector-{#MyAppVersion}-setup
SetupIconFile=request-inspector.ico
UninstallDisplayIcon={app}\{#MyAppExe}
Compression=lzma2
SolidCompression=yes
WizardStyle=modern

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
Source: "..\..\dist\request-inspector\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\{#MyAppName}"; Filename: "{app}\{#MyAppExe}"
Name: "{group}\{cm:UninstallProgram,{#MyAppName}}"; Filename: "{uninstallexe}"
Name: "{autodesktop}\{#MyAppName}"; Filename: "{app}\{#MyAppExe}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#MyAppExe}"; Description: "{cm:LaunchProgram,{#MyAppName}}"; Flags: nowait postinstall skipifsilent

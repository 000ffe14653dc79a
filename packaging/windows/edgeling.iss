; Inno Setup script for the Windows installer: Edgeling-<version>-setup.exe
;
;   pyinstaller --noconfirm --clean packaging\edgeling.spec          (makes dist\edgeling\)
;   curl -L -o packaging\windows\vc_redist.x64.exe https://aka.ms/vs/17/release/vc_redist.x64.exe
;   iscc /DAppVersion=0.1.0 packaging\windows\edgeling.iss           (makes dist\Edgeling-0.1.0-setup.exe)
;
; Inno Setup rather than MSI/WiX: WiX chokes on a payload of this size. The VC++ 2015-2022 runtime is
; installed only when it is missing or older than 14.40 (torch and onnxruntime built with Visual Studio
; 17.10+ crash on older msvcp140.dll). Installing it needs administrator rights, so the installer asks
; for them. Uninstalling removes the program folder only: projects in %LOCALAPPDATA%\edgeling and
; Documents stay. Not run on this project's Linux machine: built and smoke-tested by CI only.

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#define AppName "Edgeling"
#define AppExe "edgeling-studio.exe"
#define Dist "..\..\dist\edgeling"

[Setup]
AppId={{6D1B2C2E-5A7E-4C1F-9B8E-3E1D6A0E5D42}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=Edgeling developers
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
PrivilegesRequired=admin
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
OutputDir=..\..\dist
OutputBaseFilename=Edgeling-{#AppVersion}-setup
SetupIconFile=..\icons\edgeling.ico
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
CloseApplications=yes

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
Source: "{#Dist}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs
Source: "vc_redist.x64.exe"; DestDir: "{tmp}"; Flags: deleteafterinstall; Check: VCRedistNeeded

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; Tasks: desktopicon

[Run]
Filename: "{tmp}\vc_redist.x64.exe"; Parameters: "/install /quiet /norestart"; StatusMsg: "Installing the Microsoft Visual C++ runtime..."; Check: VCRedistNeeded; Flags: waituntilterminated
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

[UninstallDelete]
; Only the program folder (the app writes nothing there; this catches stray caches). User projects live
; elsewhere and are never deleted.
Type: filesandordirs; Name: "{app}"

[Code]
const
  VCKey = 'SOFTWARE\Microsoft\VisualStudio\14.0\VC\Runtimes\x64';
  MinMinor = 40;

function VCRuntimeOk(RootKey: Integer): Boolean;
var
  Installed, Major, Minor: Cardinal;
begin
  Result := False;
  if RegQueryDWordValue(RootKey, VCKey, 'Installed', Installed) and (Installed = 1) and
     RegQueryDWordValue(RootKey, VCKey, 'Major', Major) and
     RegQueryDWordValue(RootKey, VCKey, 'Minor', Minor) then
    Result := (Major > 14) or ((Major = 14) and (Minor >= MinMinor));
end;

function VCRedistNeeded(): Boolean;
begin
  Result := not (VCRuntimeOk(HKLM64) or VCRuntimeOk(HKLM32));
end;

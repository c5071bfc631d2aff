## 惠才通's Windows installer: Chinese pages, installs for the signed-in user
## without administrator rights or internet, keeps the data folder on uninstall.
## See docs/windows-installer.md.
##
## `bash scripts/build.sh windows` builds it (`wails build -nsis` regenerates
## wails_tools.nsh from wails.json, then runs makensis here with
## -DARG_WAILS_AMD64_BINARY=<path of huicai.exe>). By hand, after one such build:
##   makensis -DARG_WAILS_AMD64_BINARY=../../bin/huicai.exe project.nsi
## scripts/test-installer.sh tests the result under Wine.
##
## Exit codes besides NSIS's own (0 done, 1 cancelled, 2 aborted):
!define EXIT_APP_RUNNING 3 # huicai.exe in the install folder is running
!define EXIT_OLD_WINDOWS 4 # older than Windows 10, which Go programs need
!define EXIT_NOT_WRITABLE 5 # the install folder cannot be written

# 64-bit stubs: the app is amd64 only, and wine64 runs these in the tests.
Target amd64-unicode

# Per user: no UAC prompt, files under %LocalAppData%, shortcuts and the
# Add/Remove Programs entry for this user only.
!define REQUEST_EXECUTION_LEVEL "user"
!define UNINST_KEY_NAME "huicai"
# INFO_* (from wails.json), PRODUCT_EXECUTABLE, ARCH and UNINST_KEY; it also
# sets RequestExecutionLevel and includes x64, WinVer and FileFunc.
!include "wails_tools.nsh"
!include "LogicLib.nsh"
!include "MUI2.nsh"

!ifndef ARG_WAILS_AMD64_BINARY
    !error "惠才通's installer is amd64 only: pass -DARG_WAILS_AMD64_BINARY=<huicai.exe>"
!endif

!define SHORTCUT "${INFO_PRODUCTNAME}.lnk"
!define WEBVIEW2_CLIENT "Microsoft\EdgeUpdate\Clients\{F3017226-FE2A-4295-8BDF-00C3A9A7E4C5}"

Name "${INFO_PRODUCTNAME}"
OutFile "..\..\bin\${INFO_PROJECTNAME}-${ARCH}-installer.exe"
InstallDir "$LOCALAPPDATA\Programs\${INFO_PRODUCTNAME}"
# An earlier install's folder wins over the default: upgrades go in place.
InstallDirRegKey HKCU "${UNINST_KEY}" "InstallLocation"
ShowInstDetails show
ShowUninstDetails show
ManifestDPIAware true
BrandingText "${INFO_PRODUCTNAME} ${INFO_PRODUCTVERSION}"

VIProductVersion "${INFO_PRODUCTVERSION}.0"
VIFileVersion    "${INFO_PRODUCTVERSION}.0"
VIAddVersionKey "CompanyName"     "${INFO_COMPANYNAME}"
VIAddVersionKey "FileDescription" "${INFO_PRODUCTNAME} 安装程序"
VIAddVersionKey "ProductVersion"  "${INFO_PRODUCTVERSION}"
VIAddVersionKey "FileVersion"     "${INFO_PRODUCTVERSION}"
VIAddVersionKey "LegalCopyright"  "${INFO_COPYRIGHT}"
VIAddVersionKey "ProductName"     "${INFO_PRODUCTNAME}"

Var WebView2Note # the finish page's line about a missing WebView2 runtime
Var OldDir       # an earlier install's folder, when not $INSTDIR

!define MUI_ICON "..\icon.ico"
!define MUI_UNICON "..\icon.ico"
!define MUI_ABORTWARNING
!insertmacro MUI_PAGE_WELCOME
!define MUI_PAGE_CUSTOMFUNCTION_LEAVE CheckFolder
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!define MUI_FINISHPAGE_TEXT "$(MUI_TEXT_FINISH_INFO_TEXT)$WebView2Note"
!define MUI_FINISHPAGE_TEXT_LARGE
!define MUI_FINISHPAGE_RUN "$INSTDIR\${PRODUCT_EXECUTABLE}"
!define MUI_FINISHPAGE_RUN_TEXT "现在运行${INFO_PRODUCTNAME}"
!insertmacro MUI_PAGE_FINISH
!define MUI_UNCONFIRMPAGE_TEXT_TOP "将从本机卸载${INFO_PRODUCTNAME}的程序和快捷方式。数据文件夹 %AppData%\huicai（数据库、密钥、文件、备份）保留不动，重新安装后照常使用。"
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "SimpChinese"

# requireClosed stops, before anything changes, when DIR\huicai.exe is
# running: a running program cannot be opened for writing. Interactive users
# may close it and retry; silent runs end with EXIT_APP_RUNNING.
!macro requireClosed DIR
    ${DoWhile} ${FileExists} "${DIR}\${PRODUCT_EXECUTABLE}"
        ClearErrors
        FileOpen $0 "${DIR}\${PRODUCT_EXECUTABLE}" a
        ${IfNot} ${Errors}
            FileClose $0
            ${Break}
        ${EndIf}
        ${If} ${Cmd} `MessageBox MB_RETRYCANCEL|MB_ICONEXCLAMATION "${INFO_PRODUCTNAME}正在运行（${DIR}\${PRODUCT_EXECUTABLE}）。$\r$\n请先关闭${INFO_PRODUCTNAME}的窗口和服务窗口，再点“重试”；点“取消”则不做任何更改。" /SD IDCANCEL IDCANCEL`
            SetErrorLevel ${EXIT_APP_RUNNING}
            Quit
        ${EndIf}
    ${Loop}
!macroend

Function .onInit
    ${IfNot} ${AtLeastWin10}
        MessageBox MB_OK|MB_ICONSTOP "${INFO_PRODUCTNAME}需要 Windows 10 或更高版本。" /SD IDOK
        SetErrorLevel ${EXIT_OLD_WINDOWS}
        Quit
    ${EndIf}
FunctionEnd

# CheckFolder warns on the directory page while the user can still choose.
Function CheckFolder
    !insertmacro requireClosed "$INSTDIR"
FunctionEnd

# RequireWritable stops, silent runs with EXIT_NOT_WRITABLE, when the install
# folder cannot be written (e.g. Program Files without administrator rights).
Function RequireWritable
    ClearErrors
    CreateDirectory "$INSTDIR"
    FileOpen $0 "$INSTDIR\.huicai-write-test" w
    ${If} ${Errors}
        MessageBox MB_OK|MB_ICONSTOP "无法写入文件夹 $INSTDIR。$\r$\n请选择自己有权写入的文件夹（默认文件夹无需管理员权限）。" /SD IDOK
        SetErrorLevel ${EXIT_NOT_WRITABLE}
        Quit
    ${EndIf}
    FileClose $0
    Delete "$INSTDIR\.huicai-write-test"
FunctionEnd

# RequireClosedCopies stops while huicai.exe runs from the install folder or
# from an earlier install's folder (which RemoveMovedCopy will remove).
Function RequireClosedCopies
    !insertmacro requireClosed "$INSTDIR"
    ReadRegStr $OldDir HKCU "${UNINST_KEY}" "InstallLocation"
    ${If} $OldDir == $INSTDIR
        StrCpy $OldDir ""
    ${EndIf}
    ${If} $OldDir != ""
        !insertmacro requireClosed "$OldDir"
    ${EndIf}
FunctionEnd

# RemoveMovedCopy removes the program files of an earlier install in another
# folder, so that one user has one copy (the data folder is elsewhere).
Function RemoveMovedCopy
    ${If} $OldDir != ""
        Delete "$OldDir\${PRODUCT_EXECUTABLE}"
        Delete "$OldDir\uninstall.exe"
        RMDir "$OldDir"
    ${EndIf}
FunctionEnd

# NoteWebView2 leaves a line for the finish page when the WebView2 runtime is
# missing: the app then opens in the browser and says how IT installs it.
Function NoteWebView2
    ReadRegStr $0 HKLM "SOFTWARE\WOW6432Node\${WEBVIEW2_CLIENT}" "pv"
    ${If} $0 == ""
    ${OrIf} $0 == "0.0.0.0"
        ReadRegStr $0 HKCU "Software\${WEBVIEW2_CLIENT}" "pv"
    ${EndIf}
    ${If} $0 == ""
    ${OrIf} $0 == "0.0.0.0"
        StrCpy $WebView2Note "$\r$\n$\r$\n本机未安装 WebView2 运行时：${INFO_PRODUCTNAME}将在默认浏览器中打开，功能相同。如需窗口界面，请信息管理员用 Microsoft Edge WebView2 运行时的独立安装程序离线安装。"
        DetailPrint "未检测到 WebView2 运行时：${INFO_PRODUCTNAME}将在浏览器中打开。"
    ${EndIf}
FunctionEnd

Section "install"
    SetShellVarContext current
    Call RequireClosedCopies
    Call RequireWritable
    Call RemoveMovedCopy

    SetOutPath "$INSTDIR"
    File "/oname=${PRODUCT_EXECUTABLE}" "${ARG_WAILS_AMD64_BINARY}"
    WriteUninstaller "$INSTDIR\uninstall.exe"

    CreateShortcut "$SMPROGRAMS\${SHORTCUT}" "$INSTDIR\${PRODUCT_EXECUTABLE}"
    CreateShortcut "$DESKTOP\${SHORTCUT}" "$INSTDIR\${PRODUCT_EXECUTABLE}"

    WriteRegStr HKCU "${UNINST_KEY}" "DisplayName" "${INFO_PRODUCTNAME}"
    WriteRegStr HKCU "${UNINST_KEY}" "DisplayVersion" "${INFO_PRODUCTVERSION}"
    WriteRegStr HKCU "${UNINST_KEY}" "Publisher" "${INFO_COMPANYNAME}"
    WriteRegStr HKCU "${UNINST_KEY}" "DisplayIcon" "$INSTDIR\${PRODUCT_EXECUTABLE}"
    WriteRegStr HKCU "${UNINST_KEY}" "InstallLocation" "$INSTDIR"
    WriteRegStr HKCU "${UNINST_KEY}" "UninstallString" "$\"$INSTDIR\uninstall.exe$\""
    WriteRegStr HKCU "${UNINST_KEY}" "QuietUninstallString" "$\"$INSTDIR\uninstall.exe$\" /S"
    WriteRegDWORD HKCU "${UNINST_KEY}" "NoModify" 1
    WriteRegDWORD HKCU "${UNINST_KEY}" "NoRepair" 1
    ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
    WriteRegDWORD HKCU "${UNINST_KEY}" "EstimatedSize" $0

    Call NoteWebView2
SectionEnd

Function un.onInit
    !insertmacro requireClosed "$INSTDIR"
FunctionEnd

# Uninstall removes, by name, only what the installer placed. The data folder
# (%AppData%\huicai) stays, and so does anything else a user put in the
# install folder: it is removed only when empty.
Section "Uninstall"
    SetShellVarContext current
    !insertmacro requireClosed "$INSTDIR"
    Delete "$SMPROGRAMS\${SHORTCUT}"
    Delete "$DESKTOP\${SHORTCUT}"
    Delete "$INSTDIR\${PRODUCT_EXECUTABLE}"
    Delete "$INSTDIR\uninstall.exe"
    RMDir "$INSTDIR"
    DeleteRegKey HKCU "${UNINST_KEY}"
SectionEnd

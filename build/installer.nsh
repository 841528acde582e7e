; Included by electron-builder's NSIS installer (electron-builder.yml: nsis.include). After it has
; created the Start-menu shortcut ($newStartMenuLink, stamped with the AppUserModelID), this stamps
; the ToastActivatorCLSID on it too, which electron-builder does not write: Windows starts the app
; from a toast in Action Center only through a shortcut carrying both (issue 13). The CLSID must be
; main/adapters/app-identity.ts TOAST_ACTIVATOR_CLSID, the one the app passes to
; app.setToastActivatorCLSID (test/packaging/builder-config.test.ts checks both).
!include LogicLib.nsh
!include Win\COM.nsh
!include Win\Propkey.nsh

!define SIGNOFF_TOAST_ACTIVATOR_CLSID "{42E8E4FF-AFD9-4D3F-8E9C-A0AA0660A92F}"
; A PROPVARIANT whose value is a pointer (VT_LPWSTR, VT_CLSID): vt, three reserved words, the pointer.
!define SIGNOFF_POINTER_PROPVARIANT (&i2,&i6,p,&i8)

!macro signoffStampShortcut LINK
  !insertmacro ComHlpr_CreateInProcInstance ${CLSID_ShellLink} ${IID_IShellLink} r0 ""
  ${If} $0 P<> 0
    ${IUnknown::QueryInterface} $0 '("${IID_IPersistFile}",.r1)'
    ${If} $1 P<> 0
      ${IPersistFile::Load} $1 '("${LINK}",${STGM_READWRITE}).r2'
      ${If} $2 = 0
        ${IUnknown::QueryInterface} $0 '("${IID_IPropertyStore}",.r3)'
        ${If} $3 P<> 0
          ; System.dll frees these buffers below; the property store copies what it keeps.
          System::Call '*(&w${NSIS_MAX_STRLEN} "${APP_ID}")p.r5'
          System::Call '*${SYSSTRUCT_PROPERTYKEY}(${PKEY_AppUserModel_ID})p.r4'
          System::Call '*${SIGNOFF_POINTER_PROPVARIANT}(${VT_LPWSTR},,r5)p.r6'
          ${IPropertyStore::SetValue} $3 '($4,$6)'
          System::Free $5
          System::Call '*(&g16 "${SIGNOFF_TOAST_ACTIVATOR_CLSID}")p.r5'
          System::Call '*$4${SYSSTRUCT_PROPERTYKEY}(${PKEY_AppUserModel_ToastActivatorCLSID})'
          System::Call '*$6${SIGNOFF_POINTER_PROPVARIANT}(${VT_CLSID},,r5)'
          ${IPropertyStore::SetValue} $3 '($4,$6)'
          System::Free $5
          System::Free $4
          System::Free $6
          ${IPropertyStore::Commit} $3 ""
          ${IUnknown::Release} $3 ""
          ${IPersistFile::Save} $1 '("${LINK}",1)'
        ${EndIf}
      ${EndIf}
      ${IUnknown::Release} $1 ""
    ${EndIf}
    ${IUnknown::Release} $0 ""
  ${EndIf}
!macroend

!macro customInstall
  ${If} ${FileExists} "$newStartMenuLink"
    !insertmacro signoffStampShortcut "$newStartMenuLink"
  ${EndIf}
!macroend

@echo off
rem The `nocturnal` command of the packaged app (Windows): the bundled CLI inside app.asar, run by
rem the app's own Electron as Node. "Install command line tool..." puts a shim calling this on the PATH.
setlocal
set ELECTRON_RUN_AS_NODE=1
"%~dp0..\..\Nocturnal Agent.exe" "%~dp0..\app.asar\out\cli\nocturnal.js" %*
exit /b %ERRORLEVEL%

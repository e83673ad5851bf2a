@echo off
rem Lobby Queue - start the ticket kiosk on Windows (may lay so tren Windows).
rem Installed as C:\Lobby\lobby-kiosk.cmd; started at logon by lobby-kiosk.xml (Task Scheduler)
rem or by a shortcut to this file in shell:startup. Edit the three SET lines for this machine.
setlocal
set LOBBY_HOME=C:\Lobby
set LOBBY_CONFIG=%LOBBY_HOME%\config\centre.toml
rem One PC alone (SQLite) ... or PostgreSQL on the LAN with this app's role (password in %APPDATA%\postgresql\pgpass.conf):
set LOBBY_DB=sqlite:///%LOBBY_HOME%\var\lobby.sqlite3
rem set LOBBY_DB=postgresql://lobby_kiosk@192.168.1.10:5432/lobby

rem espeak-ng (voice fallback) is not on PATH after its installer: add it.
set PATH=%PATH%;C:\Program Files\eSpeak NG
cd /d "%LOBBY_HOME%"
if not exist "%LOBBY_HOME%\var\log" mkdir "%LOBBY_HOME%\var\log"
"%LOBBY_HOME%\.venv\Scripts\lobby-kiosk.exe" --log-dir "%LOBBY_HOME%\var\log" %*

@echo off
rem Lobby Queue - start the hallway display on Windows (man hinh goi so).
rem Shortcut to this file in shell:startup (Win+R, shell:startup) to start it at logon.
setlocal
set LOBBY_HOME=C:\Lobby
set LOBBY_CONFIG=%LOBBY_HOME%\config\centre.toml
set LOBBY_DB=sqlite:///%LOBBY_HOME%\var\lobby.sqlite3
rem set LOBBY_DB=postgresql://lobby_display@192.168.1.10:5432/lobby

rem espeak-ng says every clip the voice pack lacks; its installer does not add it to PATH.
set PATH=%PATH%;C:\Program Files\eSpeak NG
cd /d "%LOBBY_HOME%"
"%LOBBY_HOME%\.venv\Scripts\lobby-display.exe" --fullscreen %*

@echo off
rem Lobby Queue - start the counter app on Windows (phan mem quay).
rem Usage: lobby-counter.cmd 3            (counter 3)
rem        lobby-counter.cmd 3 --with-rating-panel
rem A shortcut in shell:startup with the target  C:\Lobby\lobby-counter.cmd 3  starts it at logon.
setlocal
if "%~1"=="" (
  echo Usage: %~nx0 COUNTER_NUMBER [--with-rating-panel ^| --rating-panel]
  exit /b 2
)
set LOBBY_HOME=C:\Lobby
set LOBBY_CONFIG=%LOBBY_HOME%\config\centre.toml
set LOBBY_DB=sqlite:///%LOBBY_HOME%\var\lobby.sqlite3
rem set LOBBY_DB=postgresql://lobby_counter@192.168.1.10:5432/lobby

cd /d "%LOBBY_HOME%"
if not exist "%LOBBY_HOME%\var\log" mkdir "%LOBBY_HOME%\var\log"
set COUNTER=%~1
shift
set REST=
:collect
if "%~1"=="" goto run
set REST=%REST% %1
shift
goto collect
:run
"%LOBBY_HOME%\.venv\Scripts\lobby-counter.exe" --counter %COUNTER% --fullscreen --log-dir "%LOBBY_HOME%\var\log" %REST%

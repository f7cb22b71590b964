#!/bin/sh
# make run: creates the demo database if there is none (with the first
# administrator), then serves the app and prints its address and login.
set -eu
cd "$(dirname "$0")/.."
db=${HOCTAP_DB:-hoctap.db}
listen=${HOCTAP_LISTEN:-127.0.0.1:8080}
if [ ! -f "$db" ]; then
  echo "Creating the demo database $db (generated data for illustration) ..."
  build/hoctap demo --db "$db"
fi
# Upgrades an older database; creates the administrator when there is none.
init_out=$(build/hoctap init --db "$db")
login="  Login: admin, with the password you chose at the first login.
  Forgot it? build/hoctap user reset-password admin --db $db"
if printf '%s\n' "$init_out" | grep -q "One-time password"; then
  otp=$(printf '%s\n' "$init_out" | sed -n 's/^  One-time password: //p')
  login="  Login: admin / $otp (one-time password: the app asks you to choose your own)"
elif build/hoctap user list --db "$db" | awk '$1 == "admin" && $4 == "new" { found = 1 } END { exit !found }'; then
  # The administrator never logged in: a fresh one-time password is harmless.
  otp=$(build/hoctap user reset-password admin --db "$db" | sed -n 's/^One-time password for .admin.: //p')
  login="  Login: admin / $otp (one-time password: the app asks you to choose your own)"
fi
echo
echo "  hoctap is running at http://$listen/"
echo "$login"
echo "  Press Ctrl-C to stop."
echo
exec build/hoctap serve --db "$db" --listen "$listen"

#!/usr/bin/env bash
# Starts the whole platform: PostgreSQL and RabbitMQ in containers, the four services, the gateway, the Aspire
# dashboard and the demo data. Stop it with Ctrl+C.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

dashboard_url="http://localhost:15080"
gateway_url="http://localhost:5080"
sms_url="http://localhost:5190/v1/messages"
mail_url="http://localhost:5090"

eng/prepare.sh
set -a
# shellcheck disable=SC1091
. artifacts/container-images.env
set +a

echo "Building..."
dotnet build AppHost/Participatie.AppHost.csproj --nologo -v quiet -clp:ErrorsOnly

# Say where to look once the gateway answers (the services wait for their databases and the broker first).
(
  for _ in $(seq 1 180); do
    if curl -fsS "$gateway_url/health" >/dev/null 2>&1; then
      printf '\n  Participatie is up.\n  Dashboard: %s\n  Gateway:   %s  (try %s/v1/consultations)\n  Mail:      %s  (every mail the platform sent)\n  SMS:       %s  (the stand-in SMS provider: what it was sent)\n  Letters:   %s/v1/notifications/letter-batches  (print batches, PDF and CSV; a partner token)\n' \
        "$dashboard_url" "$gateway_url" "$gateway_url" "$mail_url" "$sms_url" "$gateway_url"
      # The resident portal (issue 10): the demo resident signs in with the code the mail page shows.
      printf '  Portal:    %s/  (resident: Anna de Vries, anna@example.org; her sign-in code arrives at the mail page)\n' "$gateway_url"
      # The partner console (staff of every partner); the demo's staff sign-in is made by tools/DemoData.
      printf '  Console:   %s/console  (staff sign-in: medewerker@delinde.example / demo-console-delinde-2027)\n\n' "$gateway_url"
      exit 0
    fi
    sleep 2
  done
  echo "The gateway did not become healthy in 6 minutes; see the dashboard at $dashboard_url" >&2
) &

echo "Starting the platform; the dashboard is at $dashboard_url, the gateway at $gateway_url"
exec dotnet run --project AppHost/Participatie.AppHost.csproj --no-build --launch-profile http -- DemoData=true

#!/usr/bin/env bash
# The swarm smoke drill (not part of ./test.sh: it builds images and runs the whole stack). Through the stack's gateway:
#
#  1. deploys the stack (eng/swarm-up.sh, without demo data) unless --no-deploy;
#  2. the demo flow: the operator registers a partner and its client, the partner's token, a trajectory, a resident, a
#     consultation, a reaction and its receipt (a notification made by the notifications service from the broker);
#  3. a staff member's sign-in across the two partner coordination replicas: the sign-in form of one posted to the
#     other, and the sign-in cookie that one issued read by the first (their shared Data Protection key ring); and the
#     resident portal scaled to two, its sign-in form from one replica posted to the other (its key ring's database);
#  4. under load (partners reading and reacting, each below the gateway's rate limit) kills one consultations
#     replica's container (docker kill) and waits until the swarm has 2/2 healthy replicas again;
#  5. under load, a rolling update of the consultations service (docker service update --force, start-first);
#  6. prints the figures: requests, failed requests (anything but 2xx) per phase, time to 2/2, every reaction's receipt.
#
# Usage: eng/swarm-drill.sh [--no-deploy] [--keep]   (--keep leaves the stack running; else eng/swarm-down.sh --volumes)
# Environment: GATEWAY_PORT (8080), DRILL_WORKERS (3 partners, one load loop each), DRILL_PAUSE (0.05 s between requests)
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(dirname "$SCRIPT_DIR")"
STACK=participatie
GATEWAY_PORT="${GATEWAY_PORT:-8080}"
gw="http://localhost:$GATEWAY_PORT"
WORKERS="${DRILL_WORKERS:-3}"
PAUSE="${DRILL_PAUSE:-0.05}"
OUT="$REPO_ROOT/artifacts/swarm/drill"

deploy=true keep=false
for argument in "$@"; do
    case "$argument" in
        --no-deploy) deploy=false ;;
        --keep) keep=true ;;
        *) echo "swarm-drill: unknown argument $argument" >&2; exit 2 ;;
    esac
done

log() { printf 'swarm-drill: %s\n' "$*" >&2; }
die() { printf 'swarm-drill: ERROR: %s\n' "$*" >&2; exit 1; }
command -v jq >/dev/null || die "jq is needed (apt-get install jq)"

if [ "$deploy" = true ]; then
    "$SCRIPT_DIR/swarm-up.sh" --no-demo-data
fi
if [ "$keep" = false ]; then
    trap '"$SCRIPT_DIR/swarm-down.sh" --volumes' EXIT
fi
# shellcheck disable=SC1091
. "$REPO_ROOT/artifacts/swarm/env/secrets.env"
rm -rf "$OUT"
mkdir -p "$OUT"

# ---- the demo flow ---------------------------------------------------------------------------------------------------
call() {
    # call METHOD PATH TOKEN [JSON]: prints the body; fails on anything but 2xx.
    local method="$1" path="$2" token="$3" body="${4:-}" response status
    response="$(curl -sS -X "$method" "$gw$path" -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
        ${body:+-d "$body"} -w '\n%{http_code}')"
    status="${response##*$'\n'}"
    case "$status" in
        2??) printf '%s' "${response%$'\n'*}" ;;
        *) log "$method $path -> $status: ${response%$'\n'*}"; return 1 ;;
    esac
}
token() {
    curl -sS -X POST "$gw/connect/token" -d grant_type=client_credentials -d "client_id=$1" -d "client_secret=$2" | jq -r .access_token
}
until_ok() {
    # until_ok WHAT COMMAND...: retries for up to 60 s (the events that make a trajectory known travel by the broker).
    local what="$1" deadline=$((SECONDS + 60)) last="$OUT/until-ok.err"
    shift
    until "$@" 2>"$last"; do
        # The last refusal says why (a 422 naming the field, a 503...).
        [ "$SECONDS" -lt "$deadline" ] || { cat "$last" >&2; die "in vain: $what"; }
        sleep 1
    done
}

operator="$(token platform-operator "$PLATFORM_OPERATOR_SECRET")"
[ -n "$operator" ] && [ "$operator" != null ] || die "no operator token from $gw/connect/token"

# One partner with its own buurt, trajectory, resident and open consultation; prints "token consultation resident".
setup_partner() {
    local n="$1" buurt partner client me trajectory resident consultation
    buurt="BU0599$(printf '%04d' $((RANDOM % 10000)))"
    partner="$(call POST /v1/partners "$operator" \
        "{\"name\":\"Drill Gemeente $n $RANDOM\",\"kind\":\"municipality\",\"registryNumber\":\"0000000$(printf '%013d' $((RANDOM * 32768 + RANDOM)))\"}" | jq -r .id)"
    client="$(call POST "/v1/partners/$partner/clients" "$operator" '{"displayName":"Zaaksysteem","kind":"system"}')"
    call PUT "/v1/partners/$partner/areas" "$operator" '{"areaCodes":["GM0599"]}' >/dev/null
    me="$(token "$(jq -r .clientId <<<"$client")" "$(jq -r .clientSecret <<<"$client")")"
    trajectory="$(call POST /v1/trajectories "$me" "{\"name\":\"Nieuwe speeltuin $n\",\"buurtCodes\":[\"$buurt\"]}" | jq -r .id)"
    # A new resident each run (address and e-mail of this run): the same ones would be the resident of an earlier run
    # on a stack kept with --keep, registered in that run's buurt and so outside this consultation's audience.
    resident="$(call POST /v1/residents "$me" \
        "{\"fullName\":\"Sanne Bakker\",\"postcode\":\"3011 AA\",\"houseNumber\":$((RANDOM % 9000 + 1)),\"buurtCode\":\"$buurt\",\"email\":\"sanne$n-$RANDOM$RANDOM@example.org\",\"preferredLanguage\":\"nl\",\"preferredChannel\":\"email\"}" | jq -r .id)"
    local body="{\"trajectoryId\":\"$trajectory\",\"title\":\"Nieuwe speeltuin\",\"description\":\"Waar moet de speeltuin komen?\",\"buurtCode\":\"$buurt\",\"closesOn\":\"2030-01-31\"}"
    # Consultations learns of the trajectory through the broker: until then it refuses the consultation.
    until_ok "consultations to know trajectory $trajectory" call POST /v1/consultations "$me" "$body" >"$OUT/consultation-$n.json"
    consultation="$(jq -r .id "$OUT/consultation-$n.json")"
    # And of the resident, so that the consultation counts them in its audience: until then a reaction is refused.
    until_ok "consultations to count resident $resident in" call POST "/v1/consultations/$consultation/reactions" "$me" \
        "{\"residentId\":\"$resident\",\"text\":\"Eerste reactie\"}" >"$OUT/first-reaction-$n.json"
    printf '%s %s %s\n' "$me" "$consultation" "$resident"
}

log "the demo flow through $gw..."
read -r me consultation resident < <(setup_partner 0)
reaction="$(jq -r .id "$OUT/first-reaction-0.json")"
receipt_title() { call GET "/v1/notifications?subjectId=$reaction" "$me" | jq -er '.items[0].title'; }
until_ok "the receipt of reaction $reaction" receipt_title >/dev/null
log "demo flow: consultation $consultation, reaction $reaction, receipt \"$(receipt_title)\""

# ---- a staff sign-in across the two partner coordination replicas ----------------------------------------------------
# A browser whose requests land on either replica: the sign-in form (and its antiforgery cookie) from the second, posted
# to the first, whose sign-in cookie the second must read to hand out the code without asking again. Each replica is
# addressed directly (tasks.partner-coordination on the overlay network), so the round robin cannot hide a mismatch.
# Without one shared key ring the post is refused (400) or the second asks for the sign-in again.
log "a staff sign-in across the two partner coordination replicas..."
staff_redirect="https://portaal.partner.example/callback"
staff_email="staf-$RANDOM$RANDOM@partner.example"
staff_password="een-lang-wachtwoord-voor-staf-$RANDOM"
staff_partner="$(call POST /v1/partners "$operator" \
    "{\"name\":\"Drill Gemeente staf $RANDOM\",\"kind\":\"municipality\",\"registryNumber\":\"0000000$(printf '%013d' $((RANDOM * 32768 + RANDOM)))\"}" | jq -r .id)"
staff_system="$(call POST "/v1/partners/$staff_partner/clients" "$operator" '{"displayName":"Zaaksysteem","kind":"system"}')"
staff_token="$(token "$(jq -r .clientId <<<"$staff_system")" "$(jq -r .clientSecret <<<"$staff_system")")"
staff_web_client="$(call POST "/v1/partners/$staff_partner/clients" "$staff_token" \
    "{\"displayName\":\"Medewerkersportaal\",\"kind\":\"web\",\"redirectUris\":[\"$staff_redirect\"]}" | jq -r .clientId)"
call POST "/v1/partners/$staff_partner/staff" "$staff_token" \
    "{\"email\":\"$staff_email\",\"name\":\"Medewerker\",\"password\":\"$staff_password\"}" >/dev/null
if docker run --rm -i --network "${STACK}_backend" participatie/debian-base:bookworm bash -c '
        mapfile -t replicas < <(getent ahostsv4 tasks.partner-coordination | awk "{ print \$1 }" | sort -u)
        [ "${#replicas[@]}" -eq 2 ] || { echo "partner coordination has ${#replicas[@]} replica address(es), not 2"; exit 1; }
        exec perl - "${replicas[@]}" "$@"' staff-sign-in "$staff_web_client" "$staff_redirect" "$staff_email" "$staff_password" \
        >"$OUT/staff-sign-in.txt" 2>&1 <<'PERL'
use strict;
use warnings;
use HTTP::Tiny;

my ($first, $second, $client_id, $redirect_uri, $email, $password) = @ARGV;
my $http = HTTP::Tiny->new(max_redirect => 0, timeout => 30);
my %cookies;    # one browser's cookie jar, whichever replica set them

sub escape { my $text = shift; $text =~ s/([^A-Za-z0-9\-._~])/sprintf('%%%02X', ord $1)/ge; return $text }
sub unescape_html {
    my $text = shift;
    $text =~ s/&#x([0-9A-Fa-f]+);/chr hex $1/ge;
    $text =~ s/&#(\d+);/chr $1/ge;
    my %named = (amp => '&', quot => '"', lt => '<', gt => '>', apos => "'");
    $text =~ s/&(amp|quot|lt|gt|apos);/$named{$1}/g;
    return $text;
}
sub request {
    my ($method, $replica, $path, $form) = @_;
    my %headers;
    $headers{Cookie} = join '; ', map { "$_=$cookies{$_}" } sort keys %cookies if %cookies;
    my %options = (headers => \%headers);
    if ($form) {
        $headers{'Content-Type'} = 'application/x-www-form-urlencoded';
        $options{content} = join '&', map { escape($_->[0]) . '=' . escape($_->[1]) } @$form;
    }
    my $response = $http->request($method, "http://$replica:8080$path", \%options);
    my $set = $response->{headers}{'set-cookie'};
    for my $cookie (ref $set ? @$set : defined $set ? ($set) : ()) {
        my ($name, $value) = split /=/, (split /;/, $cookie)[0], 2;
        if (defined $value && $value ne '') { $cookies{$name} = $value } else { delete $cookies{$name} }
    }
    printf "%s %s on %s: %s\n", $method, (split /\?/, $path)[0], $replica, $response->{status};
    return $response;
}
sub location_path { my $location = shift // ''; $location =~ s{^https?://[^/]+}{}; return $location }

# Any well-formed PKCE challenge: the code is never redeemed here.
my $authorize = "/connect/authorize?response_type=code&client_id=" . escape($client_id) . "&redirect_uri=" . escape($redirect_uri)
    . "&scope=api&state=drill&code_challenge=" . ('A' x 43) . "&code_challenge_method=S256";
my $to_sign_in = request(GET => $first, $authorize);
die "the first replica did not send the browser to the sign-in page\n" unless $to_sign_in->{status} == 302;
my $page = request(GET => $second, location_path($to_sign_in->{headers}{location}));
die "the second replica showed no sign-in form\n" unless $page->{status} == 200;
my ($field, $token) = $page->{content} =~ /<input type="hidden" name="(__[^"]+)" value="([^"]*)"/;
my ($return_url) = $page->{content} =~ /name="returnUrl" value="([^"]*)"/;
die "no antiforgery field on the sign-in form\n" unless $field;
my $signed_in = request(POST => $first, '/account/sign-in',
    [[$field, unescape_html($token)], [returnUrl => unescape_html($return_url // '/')], [email => $email], [password => $password]]);
die "the first replica refused the second's form (antiforgery token and cookie of another key ring?)\n" unless $signed_in->{status} == 302;
my $to_client = request(GET => $second, $authorize);
my $location = $to_client->{headers}{location} // '';
die "the second replica did not take the first's sign-in cookie (it sent the browser to $location)\n"
    unless $to_client->{status} == 302 && index($location, $redirect_uri) == 0 && $location =~ /[?&]code=[^&]+/;
print "signed in on $first with the form of $second; $second handed out the code on $first\'s cookie\n";
PERL
then
    staff_sign_in="ok ($(tail -n 1 "$OUT/staff-sign-in.txt"))"
    log "staff sign-in across replicas: $staff_sign_in"
else
    cat "$OUT/staff-sign-in.txt" >&2
    die "staff sign-in across the partner coordination replicas failed (log: $OUT/staff-sign-in.txt)"
fi

# ---- the resident portal's antiforgery tokens across two replicas ----------------------------------------------------
# The web clients keep their key ring in a database of their own (no volume), so a second replica, on any node, reads
# the first's cookies: the portal is scaled to two, the sign-in form (and its antiforgery cookie) fetched from one and
# posted to the other, which answers the form (200, its own "e-mail address or phone number" error) rather than 400.
log "the resident portal's antiforgery tokens across two replicas..."
docker service scale --detach "${STACK}_resident-portal=2" >/dev/null
portal_deadline=$((SECONDS + 300))
until [ "$(docker service ls --filter "name=${STACK}_resident-portal" --format '{{.Replicas}}')" = "2/2" ]; do
    [ "$SECONDS" -lt "$portal_deadline" ] || die "the resident portal did not reach 2/2"
    sleep 2
done
if docker run --rm -i --network "${STACK}_backend" participatie/debian-base:bookworm bash -c '
        mapfile -t replicas < <(getent ahostsv4 tasks.resident-portal | awk "{ print \$1 }" | sort -u)
        [ "${#replicas[@]}" -eq 2 ] || { echo "the resident portal has ${#replicas[@]} replica address(es), not 2"; exit 1; }
        exec perl - "${replicas[@]}"' portal-antiforgery >"$OUT/portal-antiforgery.txt" 2>&1 <<'PERL'
use strict;
use warnings;
use HTTP::Tiny;

my ($first, $second) = @ARGV;
my $http = HTTP::Tiny->new(max_redirect => 0, timeout => 30);
my $page = $http->get("http://$first:8080/sign-in");
die "GET /sign-in on $first: $page->{status}\n" unless $page->{status} == 200;
my $set = $page->{headers}{'set-cookie'};
my ($cookie) = grep { /^participatie-portal-af=/ } map { (split /;/)[0] } (ref $set ? @$set : defined $set ? ($set) : ());
die "no antiforgery cookie from $first\n" unless $cookie;
my ($token) = $page->{content} =~ /name="__RequestVerificationToken" value="([^"]*)"/;
die "no antiforgery token on the form of $first\n" unless $token;
$token =~ s/&#x([0-9A-Fa-f]+);/chr hex $1/ge;
$token =~ s/&amp;/&/g;
(my $escaped = $token) =~ s/([^A-Za-z0-9\-._~])/sprintf('%%%02X', ord $1)/ge;
my $posted = $http->request(POST => "http://$second:8080/sign-in", {
    headers => { Cookie => $cookie, 'Content-Type' => 'application/x-www-form-urlencoded' },
    content => "_handler=request-code&__RequestVerificationToken=$escaped&Email=&Phone=",
});
print "form of $first posted to $second: $posted->{status}\n";
die "$second refused the antiforgery tokens of $first\n" unless $posted->{status} == 200;
PERL
then
    portal_antiforgery="ok ($(tail -n 1 "$OUT/portal-antiforgery.txt"))"
    log "resident portal across replicas: $portal_antiforgery"
else
    cat "$OUT/portal-antiforgery.txt" >&2
    die "the resident portal's replicas do not share their key ring (log: $OUT/portal-antiforgery.txt)"
fi
docker service scale --detach "${STACK}_resident-portal=1" >/dev/null

# ---- load ---------------------------------------------------------------------------------------------------------
declare -a partners=()
for n in $(seq 1 "$WORKERS"); do
    partners+=("$(setup_partner "$n")")
done

worker() {
    # Alternates a read of the consultation, a reaction and a read of the resident; one line per request:
    # <unix time ms> <method> <status> <seconds>.
    local me="$1" consultation="$2" resident="$3" file="$4" i=0 line
    while [ ! -e "$OUT/stop" ]; do
        i=$((i + 1))
        case $((i % 3)) in
            0) line="$(curl -sS -o /dev/null -w 'GET %{http_code} %{time_total}' --max-time 30 "$gw/v1/consultations/$consultation" -H "Authorization: Bearer $me" 2>/dev/null || echo "GET 000 30")" ;;
            1) line="$(curl -sS -o "$OUT/last-reaction-$$" -w 'POST %{http_code} %{time_total}' --max-time 30 -X POST "$gw/v1/consultations/$consultation/reactions" \
                    -H "Authorization: Bearer $me" -H 'Content-Type: application/json' -d "{\"residentId\":\"$resident\",\"text\":\"Reactie $i\"}" 2>/dev/null || echo "POST 000 30")" ;;
            2) line="$(curl -sS -o /dev/null -w 'GET %{http_code} %{time_total}' --max-time 30 "$gw/v1/residents/$resident" -H "Authorization: Bearer $me" 2>/dev/null || echo "GET 000 30")" ;;
        esac
        echo "$(date +%s%3N) $line" >>"$file"
        sleep "$PAUSE"
    done
}

start_load() {
    rm -f "$OUT/stop"
    local n=0 entry
    for entry in "${partners[@]}"; do
        n=$((n + 1))
        # shellcheck disable=SC2086
        worker $entry "$OUT/$1-$n.log" &
    done
}
stop_load() {
    touch "$OUT/stop"
    wait
}
figures() {
    # figures PHASE: requests, failures (not 2xx) and the slowest request of the phase.
    cat "$OUT/$1"-*.log | awk -v phase="$1" '
        { total++; if ($3 !~ /^2/) { failed++; codes[$3]++ } if ($4 > slowest) slowest = $4 }
        END {
            printf "%s: %d requests, %d failed", phase, total, failed
            for (c in codes) printf " [%s x%d]", c, codes[c]
            printf ", slowest %.2f s\n", slowest
        }'
}
replicas() { docker service ls --filter "name=${STACK}_$1" --format '{{.Name}} {{.Replicas}}' | awk -v n="${STACK}_$1" '$1 == n { print $2 }'; }
wait_two() {
    local deadline=$((SECONDS + 300))
    until [ "$(replicas "$1")" = "2/2" ]; do
        [ "$SECONDS" -lt "$deadline" ] || die "$1 did not get back to 2/2"
        sleep 0.5
    done
}

# ---- a killed replica ----------------------------------------------------------------------------------------------
log "load: $WORKERS partners; kill a consultations replica after 15 s..."
start_load kill
sleep 15
victim="$(docker ps -q --filter "label=com.docker.swarm.service.name=${STACK}_consultations" | head -n 1)"
[ -n "$victim" ] || die "no running consultations container"
killed_at=$SECONDS
docker kill "$victim" >/dev/null
log "killed container $victim; replicas now $(replicas consultations)"
sleep 2
wait_two consultations
replaced_after=$((SECONDS - killed_at))
log "consultations back at 2/2 after ${replaced_after}s"
sleep 15
stop_load

# ---- a rolling update ----------------------------------------------------------------------------------------------
log "load; rolling update of consultations (docker service update --force)..."
start_load update
sleep 10
update_started=$SECONDS
docker service update --force --detach=false --quiet "${STACK}_consultations" >/dev/null
update_took=$((SECONDS - update_started))
wait_two consultations
sleep 10
stop_load

# ---- every reaction of the drill got its receipt, once -------------------------------------------------------------
receipts_of() {
    # receipts_of TOKEN RESIDENT: "<receipts> <distinct reactions among them>" from the notifications service.
    local page=1 body all=""
    while :; do
        body="$(call GET "/v1/notifications?residentId=$2&pageSize=100&page=$page" "$1")" || return 1
        all+="$(jq -r '.items[] | select(.kind == "reaction-received") | .subjectId' <<<"$body")"$'\n'
        [ "$(jq '.items | length' <<<"$body")" -eq 100 ] || break
        page=$((page + 1))
    done
    printf '%s %s\n' "$(grep -c . <<<"$all" || true)" "$(grep . <<<"$all" | sort -u | wc -l)"
}
# The load's reactions and each partner's first one.
accepted=$(( $(cat "$OUT"/kill-*.log "$OUT"/update-*.log | awk '$2 == "POST" && $3 ~ /^2/' | wc -l) + WORKERS ))
reactions_total=0 receipts_total=0 distinct_total=0
deadline=$((SECONDS + 120))
while :; do
    reactions_total=0 receipts_total=0 distinct_total=0
    for entry in "${partners[@]}"; do
        read -r me consultation resident <<<"$entry"
        reactions=$(call GET "/v1/consultations/$consultation/reactions?pageSize=1" "$me" | jq -r .totalCount)
        read -r receipts distinct < <(receipts_of "$me" "$resident")
        reactions_total=$((reactions_total + reactions))
        receipts_total=$((receipts_total + receipts))
        distinct_total=$((distinct_total + distinct))
    done
    [ "$receipts_total" -ge "$reactions_total" ] || [ "$SECONDS" -ge "$deadline" ] || { sleep 3; continue; }
    break
done

{
    echo "swarm drill $(date -u +%Y-%m-%dT%H:%M:%SZ), $WORKERS load loops through $gw"
    echo "demo flow: partner, client, token, trajectory, resident, consultation, reaction, receipt: ok"
    echo "staff sign-in across the two partner coordination replicas (form of one, cookie read by the other): $staff_sign_in"
    echo "resident portal's antiforgery tokens across two replicas (key ring in residentportaldb): $portal_antiforgery"
    figures kill
    echo "killed replica replaced (consultations 2/2 again) after ${replaced_after} s"
    figures update
    echo "rolling update of consultations took ${update_took} s"
    echo "reactions: ${accepted} accepted (2xx), ${reactions_total} stored by consultations;" \
        "receipts: ${receipts_total} made by notifications for ${distinct_total} distinct reactions"
} | tee "$OUT/figures.txt"

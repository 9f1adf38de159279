#!/usr/bin/perl
# The stack's entrance: a TCP proxy on the published port that spreads connections over the gateway's replicas.
# Swarm's own routing mesh and virtual IPs need the kernel's IPVS, which not every Docker host has (this machine's
# kernel has none), so the services use DNS round robin (endpoint_mode: dnsrr) and this proxy takes the mesh's place:
# for each connection it asks the stack's DNS for the gateway's replicas, connects to one at random, and to the next
# when one does not answer (a killed or stopped replica), then copies bytes both ways. perl-base is part of every
# Debian, so it runs on the project's own base image. Settings: EDGE_PORT (8080), EDGE_BACKEND (gateway:8080).
use strict;
use warnings;
use IO::Socket::INET;
use IO::Select;
use Socket qw(getaddrinfo getnameinfo SOCK_STREAM NI_NUMERICHOST NIx_NOSERV);
use POSIX ':sys_wait_h';

$| = 1;
my $port = $ENV{EDGE_PORT} // 8080;
my ($backend_host, $backend_port) = split /:/, ($ENV{EDGE_BACKEND} // 'gateway:8080');
$SIG{CHLD} = sub { 1 while waitpid(-1, WNOHANG) > 0 };
$SIG{TERM} = sub { exit 0 };

my $listener = IO::Socket::INET->new(LocalPort => $port, Listen => 512, ReuseAddr => 1, Proto => 'tcp')
    or die "edge: cannot listen on $port: $!\n";
print "edge: listening on $port, spreading over $backend_host:$backend_port\n";

sub backends {
    my ($error, @found) = getaddrinfo($backend_host, $backend_port, { socktype => SOCK_STREAM });
    return () if $error;
    my %seen;
    my @addresses = grep { !$seen{$_}++ } map { (getnameinfo($_->{addr}, NI_NUMERICHOST, NIx_NOSERV))[1] } @found;
    # A random order: connections spread over the replicas, and a dead one is passed over for the next.
    for (my $i = @addresses - 1; $i > 0; $i--) { my $j = int rand($i + 1); @addresses[$i, $j] = @addresses[$j, $i]; }
    return @addresses;
}

while (1) {
    my $client = $listener->accept or next;
    my $pid = fork;
    if (!defined $pid) { close $client; next; }
    if ($pid) { close $client; next; }

    close $listener;
    my $upstream;
    for my $address (backends()) {
        $upstream = IO::Socket::INET->new(PeerAddr => $address, PeerPort => $backend_port, Proto => 'tcp', Timeout => 2);
        last if $upstream;
    }
    exit 1 unless $upstream;

    my $select = IO::Select->new($client, $upstream);
    my %open = ($client => 1, $upstream => 1);
    while (keys %open) {
        my @ready = $select->can_read(300);
        exit 0 unless @ready;    # five idle minutes: the connection is given up
        for my $from (@ready) {
            my $to = $from == $client ? $upstream : $client;
            my $read = sysread($from, my $buffer, 65536);
            if (!$read) {
                # One side is done sending: pass the half-close on, and stop when both are.
                shutdown($to, 1);
                $select->remove($from);
                delete $open{$from};
                next;
            }
            my $offset = 0;
            while ($offset < $read) {
                my $written = syswrite($to, $buffer, $read - $offset, $offset);
                exit 0 unless defined $written;
                $offset += $written;
            }
        }
    }
    exit 0;
}

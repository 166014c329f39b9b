#!/usr/bin/perl
# PURPOSE: read a TAP stream (file argument) with TAP::Parser, the parser `prove` uses, and
# fail on any parse error (malformed line, plan that does not match the test points, test
# numbers out of order). TAP::Parser releases that predate TAP 14 refuse only its version
# line; output that uses no TAP-14-only syntax is then re-read as version 13.
# Exit 0: parses cleanly (whether tests pass or fail), 1: parse errors, 2: usage.
use strict;
use warnings;
use TAP::Parser;

my ($file) = @ARGV;
die "usage: tap_validate.pl FILE\n" unless defined $file;
open(my $fh, '<', $file) or do { print STDERR "tap_validate: $file: $!\n"; exit 2 };
my $tap = do { local $/; <$fh> };
close $fh;

sub errors_of {
    my ($text) = @_;
    my $p = TAP::Parser->new({tap => $text});
    my $n = 0;
    while (my $r = $p->next) { $n++ if $r->is_test }
    return ($p, $n, $p->parse_errors);
}

my ($p, $n, @errors) = errors_of($tap);
if (@errors && grep(/version 14/, @errors) && $tap =~ /\ATAP version 14\n/) {
    (my $as13 = $tap) =~ s/\ATAP version 14\n/TAP version 13\n/;
    ($p, $n, @errors) = errors_of($as13);
}
if (@errors) {
    print STDERR "tap_validate: $file: $_\n" for @errors;
    exit 1;
}
printf "tap_validate: %s: %d test points, %d failed, parsed cleanly\n", $file, $n,
    scalar($p->failed);
exit 0;

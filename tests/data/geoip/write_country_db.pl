#!/usr/bin/perl
# Writes a small MaxMind DB country database (as GeoLite2-Country is laid
# out: country.iso_code, country.names.en) for the GeoIP tests, with
# Debian's libmaxmind-db-writer-perl:
#   write_country_db.pl OUT.mmdb
# The networks are the documentation ranges (RFC 5737, RFC 3849), so no
# test address is anybody's; private and other addresses are in none.
use strict;
use warnings;
use MaxMind::DB::Writer::Tree;

my $out = shift or die "usage: $0 OUT.mmdb\n";

my %networks = (
    '192.0.2.0/24'     => [ 'FR', 'France' ],
    '198.51.100.0/25'  => [ 'DE', 'Germany' ],
    '198.51.100.128/25' => [ 'JP', 'Japan' ],
    '2001:db8:1::/48'  => [ 'FR', 'France' ],
    '2001:db8:2::/48'  => [ 'BR', 'Brazil' ],
);
my %types = (
    country  => 'map',
    iso_code => 'utf8_string',
    names    => 'map',
    en       => 'utf8_string',
);
my $tree = MaxMind::DB::Writer::Tree->new(
    ip_version               => 6,
    record_size              => 24,
    database_type            => 'GeoLite2-Country',
    languages                => ['en'],
    description              => { en => 'analytics test countries' },
    map_key_type_callback    => sub { $types{ $_[0] } },
    alias_ipv6_to_ipv4       => 1,
    remove_reserved_networks => 0,    # the documentation ranges are reserved
);
for my $network (sort keys %networks) {
    my ($code, $name) = @{ $networks{$network} };
    $tree->insert_network($network, { country => { iso_code => $code, names => { en => $name } } });
}
open my $fh, '>:raw', $out or die "$out: $!\n";
$tree->write_tree($fh);
close $fh or die "$out: $!\n";

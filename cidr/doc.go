// Package cidr parses the address and port strings that Azure resources
// carry, and does address-set algebra on them.
//
// Addresses: [ParsePrefix] reads one IP or canonical CIDR ("10.0.0.0/16",
// "10.0.0.4", "2001:db8::/64"); [Parse] also reads "*" and firewall ranges
// ("10.0.0.1-10.0.0.9"); [IsAddress] tells an address token from a service
// tag name. Errors are [*ParseError] values that quote the input and say why.
//
// Sets: [Set] is an immutable set of IPv4 and IPv6 addresses with union,
// intersection, difference, containment and overlap, listed as minimal
// prefixes or as ranges. [Set.Partition] cuts a set into the pieces a list of
// prefixes divides it into, which is what longest-prefix match over a whole
// destination set needs. Operations between a large set and a small one
// cost about the small one's size. An [Interner] hands out one copy of
// each distinct set, so that sets compare and key maps by [Set.Key], and
// computes each split or union of two sets once.
//
// Ports: [ParsePortRange] and [ParsePorts] read "*", "443", "80-443" and
// comma lists into [PortRange] values.
//
// The package knows nothing about Azure resources; it is built on net/netip
// and go4.org/netipx, whose types never appear in its API.
package cidr

package cidr_test

import (
	"fmt"
	"net/netip"

	"github.com/vnetpath/vnetpath/cidr"
)

func ExampleParsePrefix() {
	for _, s := range []string{"10.0.0.0/16", "10.0.0.4", "2001:db8::/64", "10.0.0.1/24", "*"} {
		p, err := cidr.ParsePrefix(s)
		fmt.Println(p, err)
	}
	// Output:
	// 10.0.0.0/16 <nil>
	// 10.0.0.4/32 <nil>
	// 2001:db8::/64 <nil>
	// invalid Prefix "10.0.0.1/24": not canonical: host bits are set (the network is 10.0.0.0/24)
	// invalid Prefix "*": not an IP address or CIDR prefix
}

func ExampleParse() {
	for _, s := range []string{"*", "192.168.1.1-192.168.1.12"} {
		ps, _ := cidr.Parse(s)
		fmt.Println(ps)
	}
	// Output:
	// [0.0.0.0/0 ::/0]
	// [192.168.1.1/32 192.168.1.2/31 192.168.1.4/30 192.168.1.8/30 192.168.1.12/32]
}

func ExampleParseList() {
	s, err := cidr.ParseList("10.0.0.0/24, 10.0.1.0/24, 2001:db8::/32")
	fmt.Println(s, err)
	fmt.Println(s.Ranges())
	// Output:
	// 10.0.0.0/23,2001:db8::/32 <nil>
	// [10.0.0.0-10.0.1.255 2001:db8::-2001:db8:ffff:ffff:ffff:ffff:ffff:ffff]
}

func ExampleSet() {
	vnet := cidr.SetOf(netip.MustParsePrefix("10.1.0.0/16"))
	subnet := cidr.SetOf(netip.MustParsePrefix("10.1.2.0/24"))
	rest := vnet.Subtract(subnet)
	fmt.Println(rest)
	fmt.Println(rest.Union(subnet).Equal(vnet), rest.Overlaps(subnet), vnet.ContainsSet(subnet))
	fmt.Println(vnet.Intersect(cidr.SetOf(netip.MustParsePrefix("10.0.0.0/15"))))
	// Output:
	// 10.1.0.0/23,10.1.3.0/24,10.1.4.0/22,10.1.8.0/21,10.1.16.0/20,10.1.32.0/19,10.1.64.0/18,10.1.128.0/17
	// true false true
	// 10.1.0.0/16
}

func ExampleSet_Partition() {
	dst, _ := cidr.ParseList("10.0.0.0/16, 8.8.8.8")
	routes := []netip.Prefix{
		netip.MustParsePrefix("0.0.0.0/0"),
		netip.MustParsePrefix("10.0.0.0/16"),
		netip.MustParsePrefix("10.0.1.0/24"),
	}
	for _, p := range dst.Partition(routes) {
		fmt.Println(p.Set, "covered by", p.Covers)
	}
	// Output:
	// 8.8.8.8 covered by [0]
	// 10.0.0.0/24,10.0.2.0/23,10.0.4.0/22,10.0.8.0/21,10.0.16.0/20,10.0.32.0/19,10.0.64.0/18,10.0.128.0/17 covered by [0 1]
	// 10.0.1.0/24 covered by [0 1 2]
}

func ExampleParsePortRange() {
	for _, s := range []string{"*", "443", "8000-8080", "443-80"} {
		r, err := cidr.ParsePortRange(s)
		fmt.Println(r, err)
	}
	// Output:
	// * <nil>
	// 443 <nil>
	// 8000-8080 <nil>
	// 0 "443-80": range is reversed
}

func ExampleParsePorts() {
	rs, _ := cidr.ParsePorts("80,443,8000-8080")
	fmt.Println(rs, cidr.PortsContain(rs, 8443), cidr.PortsContain(rs, 8001))
	// Output:
	// [80 443 8000-8080] false true
}

func ExampleIsAddress() {
	for _, s := range []string{"10.0.0.0/8", "*", "Storage.EastUS", "AzureCloud"} {
		fmt.Println(s, cidr.IsAddress(s))
	}
	// Output:
	// 10.0.0.0/8 true
	// * true
	// Storage.EastUS false
	// AzureCloud false
}

package main

import (
	"strings"
	"testing"
)

// TestRun runs the program on the estate of this directory: spoke A and
// spoke B reach each other through both appliances, both ways (reference
// §2.1: forwarded traffic is allowed on every half they cross); spoke C's
// half does not allow forwarded traffic, so the flow into it is
// blocked-by-peering, and the patch of the fix makes it reachable.
func TestRun(t *testing.T) {
	var b strings.Builder
	if err := run(".", &b); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{
		"vnet-spoke-a/snet-app → 10.21.1.4 tcp/443: reachable\n" +
			"  path: subnet vnet-spoke-a/snet-app > peering peer-spoke-a-to-hub-a > [virtualAppliance nic-nva-a] > subnet vnet-hub-a/snet-nva > " +
			"peering peer-hub-a-to-hub-b > [virtualAppliance nic-nva-b] > subnet vnet-hub-b/snet-nva > peering peer-hub-b-to-spoke-b > nic nic-vm-b\n" +
			"  replies come back: true\n",
		"vnet-spoke-b/snet-app → 10.11.1.4 tcp/22: reachable\n" +
			"  path: subnet vnet-spoke-b/snet-app > peering peer-spoke-b-to-hub-b > [virtualAppliance nic-nva-b] > subnet vnet-hub-b/snet-nva > " +
			"peering peer-hub-b-to-hub-a > [virtualAppliance nic-nva-a] > subnet vnet-hub-a/snet-nva > peering peer-hub-a-to-spoke-a > nic nic-vm-a\n",
		"vnet-spoke-a/snet-app → 10.22.1.4 tcp/443: blocked-by-peering\n",
		"  blocked: peeringNoForwardedTraffic at vnet-spoke-c/peer-spoke-c-to-hub-b\n" +
			"  fix: allowForwardedTraffic=true\n" +
			"    az: az network vnet peering update -g rg-transit --vnet-name vnet-spoke-c -n peer-spoke-c-to-hub-b --set allowForwardedTraffic=true",
		"    patch: set vnet-spoke-c/peer-spoke-c-to-hub-b properties.allowForwardedTraffic = true\n  with the fix: reachable\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks\n%s\nin:\n%s", want, out)
		}
	}
}

package main

import (
	"strings"
	"testing"
)

// TestRun runs the program on the estate of this directory and checks the
// three resolutions of its README: the blob name through the hub's
// resolver to the private endpoint (reference §5.6: the inbound endpoint
// answers in the hub, where the zone is linked); the on-premises name
// forwarded by the ruleset linked to the hub; the vault's name public,
// because its zone is linked to no VNet, with a link to the hub as the
// fix; and the flow to the vault leaving through default outbound access
// with a warning.
func TestRun(t *testing.T) {
	var b strings.Builder
	if err := run(".", &b); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{
		"stcontosodata.blob.core.windows.net from vnet-spoke/snet-app via DNS Private Resolver inbound endpoint in-hub in VNet vnet-hub",
		"  A       stcontosodata.privatelink.blob.core.windows.net → 10.51.2.4 (private zone privatelink.blob.core.windows.net (linked to VNet vnet-hub))\n  NOERROR 10.51.2.4\n",
		"  FORWARD app01.corp.contoso.com → 192.168.10.10,192.168.10.11 (rule corp-contoso (corp.contoso.com.) of ruleset frs-hub linked to VNet vnet-hub)\n",
		"  dnsForwardTargetDown: forwarding rule corp-contoso (corp.contoso.com.) of ruleset frs-hub sends app01.corp.contoso.com to 192.168.10.10, 192.168.10.11, which does not answer",
		"  PUBLIC  kv-contoso-app.privatelink.vaultcore.azure.net → public address",
		"  privateEndpointBypassed: private endpoint pe-kv-contoso-app (10.51.2.5) bypassed; zone privatelink.vaultcore.azure.net is not linked to VNet vnet-hub\n" +
			"  fix (addZoneLink): link zone privatelink.vaultcore.azure.net to VNet vnet-hub\n" +
			"    az: az network private-dns link vnet create -g rg-dns -z privatelink.vaultcore.azure.net",
		"check vnet-spoke/snet-app → kv-contoso-app.vault.azure.net: reachable, leaves through default outbound access",
		"  warning: kv-contoso-app.vault.azure.net resolves to its public address",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks\n%s\nin:\n%s", want, out)
		}
	}
}

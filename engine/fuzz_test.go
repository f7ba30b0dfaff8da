package engine_test

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/vnetpath/vnetpath/engine"
)

// scenarioEndpoints returns the --from and --to values of the shared
// scenarios, to seed fuzzing with what users really ask; none when
// ../shared is absent.
func scenarioEndpoints() (froms, tos []string) {
	base := filepath.Join("..", "..", "shared", "scenarios")
	dirs, _ := os.ReadDir(base)
	for _, d := range dirs {
		data, err := os.ReadFile(filepath.Join(base, d.Name(), "expect.json"))
		if err != nil {
			continue
		}
		var ex struct {
			Check []struct{ From, To string } `json:"check"`
		}
		if json.Unmarshal(data, &ex) == nil {
			for _, c := range ex.Check {
				froms, tos = append(froms, c.From), append(tos, c.To)
			}
		}
	}
	return froms, tos
}

// FuzzCheck asks arbitrary sources, destinations, ports and protocols of a
// fixed hub-and-spoke estate: Check must not panic, must fail only with an
// *engine.InputError, and every answer must satisfy the invariants.
func FuzzCheck(f *testing.F) {
	froms := []string{aSubnet, hubSubnet, bSubnet, "spoke-b/snet-pe", "10.1.1.4", "10.0.2.4", "SPOKE-A/SNET-A",
		rg + "Microsoft.Network/virtualNetworks/spoke-a/subnets/snet-a", "hub/AzureFirewallSubnet", "", "spoke-a", "10.1.1.300", "::1", "spoke-a/snet-a/x"}
	tos := []string{"login.microsoftonline.com", "management.azure.com", storageFQDN, "10.2.2.5", "10.2.1.4", "10.0.0.0/8", "0.0.0.0/0",
		"tag:AzureActiveDirectory", "tag:Storage.WestEurope", "tag:VirtualNetwork", "tag:Internet", "tag:", "168.63.129.16", "169.254.169.254",
		"10.2.1.1-10.2.1.9", "2001:db8::1", "*.blob.core.windows.net", "stcontoso.blob.core.windows.net.", "a..b", "", "x"}
	sf, st := scenarioEndpoints()
	froms, tos = append(froms, sf...), append(tos, st...)
	protos := []string{"tcp", "udp", "icmp", "any", "", "sctp"}
	for i, to := range tos {
		f.Add(froms[i%len(froms)], to, 443, protos[i%len(protos)])
	}
	for i, from := range froms {
		f.Add(from, tos[i%len(tos)], []int{0, 53, 80, 65535, -1, 70000}[i%6], "tcp")
	}
	h := newHubSpoke(f)
	h.withCatalog()
	eng := h.engine()
	f.Fuzz(func(t *testing.T, from, to string, port int, proto string) {
		q := engine.Query{From: from, To: to, Port: port, Protocol: engine.Protocol(proto)}
		r, err := eng.Check(q)
		if err != nil {
			var ie *engine.InputError
			if !errors.As(err, &ie) {
				t.Fatalf("Check(%+v): error %v of type %T, want *engine.InputError", q, err, err)
			}
			// The library speaks of the query, not of the CLI's flags.
			word := map[string]string{"from": "source", "to": "destination"}[ie.Arg]
			if word == "" {
				word = ie.Arg
			}
			if !strings.HasPrefix(err.Error(), word+" ") || strings.Contains(err.Error(), "--"+ie.Arg) {
				t.Errorf("error %q does not start with %q, or names a flag", err, word)
			}
			return
		}
		if strings.EqualFold(strings.TrimSpace(proto), "icmp") {
			if r.Port != 0 {
				t.Errorf("ICMP answer says port %d, want 0 (ICMP has no ports)", r.Port)
			}
		} else if r.Port != port && !(port == 0 && r.Port == 443) {
			t.Errorf("answer for port %d says %d", port, r.Port)
		}
		checkInvariants(t, eng, r)
	})
}

// FuzzParseProtocol checks that ParseProtocol accepts exactly tcp, udp,
// icmp and any (or "*") in any case and surrounding space, that what it
// returns parses to itself, and that its errors quote the input.
func FuzzParseProtocol(f *testing.F) {
	for _, s := range []string{"tcp", "UDP", " icmp ", "Icmp", "any", "*", "", "sctp", "tcp\x00", "ｔｃｐ", "\ttcp\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := engine.ParseProtocol(s)
		if err != nil {
			if p != "" {
				t.Errorf("ParseProtocol(%q) = %q with error %v", s, p, err)
			}
			if !strings.Contains(err.Error(), strconv.Quote(s)) || !strings.Contains(err.Error(), "engine.ParseProtocol") {
				t.Errorf("error %q does not name the operation and quote the input", err)
			}
			return
		}
		switch p {
		case engine.TCP, engine.UDP, engine.ICMP:
		case engine.Any:
			if t := strings.TrimSpace(s); t == "*" {
				return
			}
		default:
			t.Fatalf("ParseProtocol(%q) = %q", s, p)
		}
		if !strings.EqualFold(strings.TrimSpace(s), p.String()) {
			t.Errorf("ParseProtocol(%q) = %q", s, p)
		}
		if q, err := engine.ParseProtocol(p.String()); err != nil || q != p {
			t.Errorf("ParseProtocol(%q) = %q, %v; want it back", p, q, err)
		}
	})
}

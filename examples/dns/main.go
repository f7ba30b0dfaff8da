// Command dns troubleshoots name resolution in the estate of this
// directory, as another Go program would use vnetpath: from a spoke whose
// DNS server is a DNS Private Resolver in the hub, it resolves a storage
// account's name (a privatelink zone linked to the hub), an on-premises
// name (a forwarding rule of a ruleset linked to the hub), and a key
// vault's name, whose privatelink zone is linked to no VNet, so the name
// resolves publicly and the vault's private endpoint is bypassed. It
// prints each resolution step from the answer's chain and, where the
// answer has a blocker, its cause and the fixes; then it checks the flow
// to the vault to show where the traffic goes instead.
//
//	go run ./examples/dns                          # from the repository root
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/vnetpath/vnetpath/answer"
	"github.com/vnetpath/vnetpath/azure"
	"github.com/vnetpath/vnetpath/engine"
	"github.com/vnetpath/vnetpath/topology"
)

func main() {
	snapshot := flag.String("snapshot", "examples/dns", "the estate's snapshot directory")
	flag.Parse()
	if err := run(*snapshot, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "dns:", err)
		os.Exit(2)
	}
}

const from = "vnet-spoke/snet-app"

var names = []string{"stcontosodata.blob.core.windows.net", "app01.corp.contoso.com", "kv-contoso-app.vault.azure.net"}

func run(snapshot string, w io.Writer) error {
	res, err := azure.Load([]string{snapshot}, azure.Options{})
	if err != nil {
		return err
	}
	eng := engine.New(res.Snapshot, nil)
	for _, name := range names {
		r, err := eng.ResolveFrom(from, name)
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "%s from %s via %s\n", name, from, r.Resolver)
		for _, s := range r.Chain {
			fmt.Fprintf(w, "  %-7s %s → %s (%s)\n", s.Type, s.Name, s.Value, s.Source)
		}
		got := strings.Join(r.Addresses, ", ")
		if r.Public {
			got = "public address"
		}
		fmt.Fprintf(w, "  %s %s\n", r.Rcode, got)
		if b := r.Blocker; b != nil {
			switch b.Cause {
			case answer.CausePrivateEndpointBypassed:
				// The blocker's data say which zone must be linked where.
				fmt.Fprintf(w, "  %s: private endpoint %s (%s) bypassed; zone %s is not linked to VNet %s\n", b.Cause,
					topology.NameOf(r.Endpoint), strings.Join(r.Expected, ", "), b.Data["zone"], b.Data["vnet"])
			default:
				fmt.Fprintf(w, "  %s: %s\n", b.Cause, answer.Explain(*b))
			}
			for _, f := range r.Fixes {
				fmt.Fprintf(w, "  fix (%s): %s\n    az: %s\n", f.Kind, f.Change, f.Az)
			}
		}
		for _, a := range r.Assumptions {
			fmt.Fprintf(w, "  assumes: %s\n", a)
		}
	}
	c, err := eng.Check(engine.Query{From: from, To: names[2]})
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "check %s → %s: %s, %s\n", from, names[2], c.Verdict, c.Reason)
	for _, wng := range c.Warnings {
		fmt.Fprintf(w, "  warning: %s\n", wng)
	}
	return nil
}

package bench

import (
	"path/filepath"
	"sync"
	"testing"

	"github.com/vnetpath/vnetpath/azure"
	"github.com/vnetpath/vnetpath/engine"
	"github.com/vnetpath/vnetpath/servicetags"
	"github.com/vnetpath/vnetpath/topology"
)

var (
	exampleOnce sync.Once
	exampleSnap *topology.Snapshot
	exampleErr  error
	catOnce     sync.Once
	catPublic   *servicetags.Catalog
)

// exampleEstate loads examples/contoso, the estate the README's quick start
// runs on.
func exampleEstate(b *testing.B) *topology.Snapshot {
	b.Helper()
	exampleOnce.Do(func() {
		var res *azure.Result
		res, exampleErr = azure.Load([]string{filepath.Join("..", "examples", "contoso")}, azure.Options{})
		if exampleErr == nil {
			exampleSnap = res.Snapshot
		}
	})
	if exampleErr != nil {
		b.Fatalf("loading the example estate: %v", exampleErr)
	}
	return exampleSnap
}

// publicCatalog returns the newest public service-tag file of ../shared, or
// nil when it is absent.
func publicCatalog() *servicetags.Catalog {
	catOnce.Do(func() {
		p := filepath.Join("..", "..", "shared", "testdata", "servicetags", "ServiceTags_Public_20251028.json")
		c, err := servicetags.ParseFile(p, servicetags.Options{})
		if err == nil {
			catPublic = c
		}
	})
	return catPublic
}

// BenchmarkCheck measures one check on the example estate: from the compute
// subnet of the ML spoke, through the hub firewall, to a service tag; the
// same to an FQDN (DNS resolution through the hub resolver included); and
// to the workspace's private endpoint. "catalog" variants expand the tag
// with the real public catalog (a set of ~200 prefixes walked as a set).
// Engines are built once: per-subnet routes and compiled rules are cached,
// as they are for every query after the first in a real run.
func BenchmarkCheck(b *testing.B) {
	snap := exampleEstate(b)
	cases := []struct {
		name    string
		to      string
		catalog bool
	}{
		{"subnet-to-tag-via-firewall", "tag:AzureActiveDirectory", false},
		{"subnet-to-tag-via-firewall-catalog", "tag:AzureActiveDirectory", true},
		{"subnet-to-fqdn-via-firewall", "login.microsoftonline.com", false},
		{"subnet-to-private-endpoint-fqdn", "8b0f6c1e-5a4d-4e2b-9c3f-2d1e0a9b8c7d.workspace.westeurope.api.azureml.ms", false},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			var cat *servicetags.Catalog
			if c.catalog {
				if cat = publicCatalog(); cat == nil {
					b.Skip("skipping: ../shared/testdata/servicetags is absent")
				}
			}
			e := engine.New(snap, cat)
			src, err := e.ResolveSource("vnet-spoke-ml/snet-train")
			if err != nil {
				b.Fatal(err)
			}
			q := engine.Query{To: c.to, Protocol: engine.TCP, Port: 443}
			r, err := e.CheckFrom(src, q)
			if err != nil {
				b.Fatal(err)
			}
			if !r.Reachable {
				b.Fatalf("%s is %s: %s", c.to, r.Verdict, r.Reason)
			}
			b.ReportAllocs()
			for b.Loop() {
				r, _ = e.CheckFrom(src, q)
			}
			sinkResult = r
		})
	}
}

// BenchmarkEffectiveRoutes measures the effective routes of one subnet
// from a fresh engine each time: system, peering, private-endpoint and
// gateway routes and the user routes, selected and listed.
func BenchmarkEffectiveRoutes(b *testing.B) {
	snap := exampleEstate(b)
	b.ReportAllocs()
	var t *engine.RouteTable
	for b.Loop() {
		e := engine.New(snap, nil)
		var err error
		t, err = e.EffectiveRoutes("vnet-spoke-ml/snet-train")
		if err != nil {
			b.Fatal(err)
		}
	}
	if len(t.Value) == 0 {
		b.Fatal("no routes")
	}
}

// BenchmarkProfile measures `check` without --to on the example estate: the
// whole Azure ML profile of every workload subnet, in parallel.
func BenchmarkProfile(b *testing.B) {
	snap := exampleEstate(b)
	b.ReportAllocs()
	for b.Loop() {
		rep, err := engine.New(snap, nil).Profile(engine.ProfileOptions{})
		if err != nil {
			b.Fatal(err)
		}
		sinkReport = rep
	}
}

var (
	sinkResult engine.Result
	sinkReport *engine.Report
)

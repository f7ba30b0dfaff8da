package bench

import (
	"bufio"
	"cmp"
	"compress/gzip"
	"errors"
	"fmt"
	"github.com/vnetpath/vnetpath/topology"
	"math/rand/v2"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/gaissmai/bart"
	"github.com/vnetpath/vnetpath/route"
)

// The route lookup benchmarks run on the real Tier-1 routing table that
// ships inside the bart module (internal/tests/testdata/prefixes.txt.gz),
// read in place from the module cache.
const (
	tier1File   = "internal/tests/testdata/prefixes.txt.gz"
	tier1Probes = 1 << 20 // cold probe set: every probe walks a different path
	tier1Hot    = 1 << 10 // hot probe set: stays in the caches
	tier1GWs    = 4       // BGP routes come from this many gateways
)

// tier1Family is the data for one address family: the prefixes, the
// gateway that announces each, probe addresses, and both tables built once.
type tier1Family struct {
	prefixes []netip.Prefix
	gateway  []uint8      // index into tier1Gateways per prefix
	order    []int        // indexes of prefixes in address order (see addressOrder)
	probes   []netip.Addr // inside random table prefixes
	bart     *bart.Table[uint32]
	table    *route.Table
}

// route returns prefix i as a BGP route with its gateway's metadata, as a
// loader converting parsed input would produce it. Route i has prefix i,
// so a route ID equals the bart value of the same prefix.
func (f *tier1Family) route(i int) route.Route {
	r := tier1Gateways[f.gateway[i]]
	r.Prefixes = f.prefixes[i : i+1 : i+1]
	return r
}

// tier1Gateways are the metadata of the BGP routes: a few gateways, as a
// hub's ExpressRoute or VPN connections would deliver a full table.
var tier1Gateways = func() []route.Route {
	gws := make([]route.Route, tier1GWs)
	for i := range gws {
		gws[i] = route.Route{
			NextHopType: topology.NextHopVirtualNetworkGateway,
			NextHopIP:   netip.AddrFrom4([4]byte{10, 0, 0, byte(4 + i)}),
			Source:      route.SourceGateway,
			Origin:      fmt.Sprintf("/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-hub/providers/Microsoft.Network/virtualNetworkGateways/ergw-%d", i),
		}
	}
	return gws
}()

type tier1Data struct {
	path   string
	v4, v6 tier1Family
}

var tier1 = sync.OnceValues(loadTier1)

// tier1Get returns the loaded data, or skips the benchmark or test when
// the bart module's test data is not available.
func tier1Get(tb testing.TB) *tier1Data {
	tb.Helper()
	d, err := tier1()
	if err != nil {
		tb.Skipf("route lookup data unavailable: %v", err)
	}
	return d
}

// tier1Path finds prefixes.txt.gz in the module cache.
func tier1Path() (string, error) {
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/gaissmai/bart").Output()
	dir := strings.TrimSpace(string(out))
	if err != nil || dir == "" {
		// Without a go command, try the module cache directly.
		cache := os.Getenv("GOMODCACHE")
		if cache == "" {
			cache = filepath.Join(os.Getenv("HOME"), "go", "pkg", "mod")
		}
		dir = filepath.Join(cache, "github.com", "gaissmai", "bart@v0.30.0")
	}
	p := filepath.Join(dir, filepath.FromSlash(tier1File))
	if _, err := os.Stat(p); err != nil {
		return "", fmt.Errorf("%s not found in the bart module (run `go mod download github.com/gaissmai/bart`): %w", tier1File, err)
	}
	return p, nil
}

// loadTier1 reads the prefixes, masks them, drops duplicates and shuffles
// them with PCG(42, 42) as bart's own benchmarks do, then draws the probes
// (PCG(1, 2)) and builds both tables.
func loadTier1() (*tier1Data, error) {
	path, err := tier1Path()
	if err != nil {
		return nil, err
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	z, err := gzip.NewReader(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	var all []netip.Prefix
	seen := make(map[netip.Prefix]struct{}, 1<<21)
	sc := bufio.NewScanner(z)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		p, err := netip.ParsePrefix(line)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		p = p.Masked()
		if _, dup := seen[p]; !dup {
			seen[p] = struct{}{}
			all = append(all, p)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(all) == 0 {
		return nil, errors.New(path + ": no prefixes")
	}
	rand.New(rand.NewPCG(42, 42)).Shuffle(len(all), func(i, j int) { all[i], all[j] = all[j], all[i] })
	d := &tier1Data{path: path}
	for _, p := range all {
		if p.Addr().Is4() {
			d.v4.prefixes = append(d.v4.prefixes, p)
		} else {
			d.v6.prefixes = append(d.v6.prefixes, p)
		}
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for _, fam := range []*tier1Family{&d.v4, &d.v6} {
		fam.gateway = make([]uint8, len(fam.prefixes))
		for i := range fam.gateway {
			fam.gateway[i] = uint8(rng.IntN(tier1GWs))
		}
		fam.probes = make([]netip.Addr, tier1Probes)
		for i := range fam.probes {
			fam.probes[i] = tier1AddrIn(fam.prefixes[rng.IntN(len(fam.prefixes))], rng)
		}
		fam.order = addressOrder(fam.prefixes)
		fam.bart = tier1BartInOrder(fam.prefixes, fam.order)
		if fam.table, err = fam.build(); err != nil {
			return nil, err
		}
	}
	runtime.GC()
	return d, nil
}

func tier1AddrIn(p netip.Prefix, rng *rand.Rand) netip.Addr {
	b := p.Addr().AsSlice()
	for i := p.Bits(); i < len(b)*8; i++ {
		if rng.Uint32()&1 == 1 {
			b[i/8] |= 0x80 >> (i % 8)
		}
	}
	a, _ := netip.AddrFromSlice(b)
	return a
}

// addressOrder returns the indexes of ps ordered by the first 32 bits of
// each address, keeping index order among equal keys: the order in which
// route.Builder inserts a large table, so a bart table built in this order
// has the same memory layout as the route table's trie.
func addressOrder(ps []netip.Prefix) []int {
	key := func(p netip.Prefix) uint32 {
		b := p.Addr().AsSlice()
		return uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
	}
	idx := make([]int, len(ps))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(i, j int) int { return cmp.Compare(key(ps[i]), key(ps[j])) })
	return idx
}

// tier1BartInOrder inserts ps[i] with value i, taking i in the given order.
func tier1BartInOrder(ps []netip.Prefix, order []int) *bart.Table[uint32] {
	t := new(bart.Table[uint32])
	for _, i := range order {
		t.Insert(ps[i], uint32(i))
	}
	return t
}

// build returns the family's prefixes as a route table.
func (f *tier1Family) build() (*route.Table, error) {
	b := new(route.Builder)
	for i := range f.prefixes {
		b.Add(f.route(i))
	}
	return b.Build()
}

func tier1Table(rs []route.Route) (*route.Table, error) {
	b := new(route.Builder)
	for _, r := range rs {
		b.Add(r)
	}
	return b.Build()
}

// tier1HeapPerRoute returns the heap bytes that build's result keeps per
// route: HeapAlloc after two collections, before and after building, with
// the input already allocated.
func tier1HeapPerRoute(n int, build func() any) float64 {
	tier1GC()
	before := tier1HeapAlloc()
	v := build()
	tier1GC()
	after := tier1HeapAlloc()
	runtime.KeepAlive(v)
	return float64(int64(after)-int64(before)) / float64(n)
}

func tier1GC() { runtime.GC(); runtime.GC() }

func tier1HeapAlloc() uint64 {
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

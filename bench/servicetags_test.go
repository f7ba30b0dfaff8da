package bench

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"net/netip"
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/gaissmai/bart"
	"github.com/vnetpath/vnetpath/servicetags"
)

// The full public catalog, read once from ../shared.
var publicTags struct {
	once sync.Once
	path string
	data []byte
	cat  *servicetags.Catalog
	err  error
}

func loadPublicTags(b *testing.B) ([]byte, *servicetags.Catalog) {
	b.Helper()
	publicTags.once.Do(func() {
		publicTags.path = filepath.Join("..", "..", "shared", "testdata", "servicetags", "ServiceTags_Public_20251028.json")
		publicTags.data, publicTags.err = os.ReadFile(publicTags.path)
		if publicTags.err == nil {
			publicTags.cat, publicTags.err = servicetags.Parse(bytes.NewReader(publicTags.data), servicetags.Options{})
		}
	})
	if os.IsNotExist(publicTags.err) {
		b.Skipf("%s is absent: the service-tag benchmarks need ../shared beside the repository", publicTags.path)
	}
	if publicTags.err != nil {
		b.Fatal(publicTags.err)
	}
	return publicTags.data, publicTags.cat
}

var (
	sinkMap     map[string]any
	sinkCatalog *servicetags.Catalog
	sinkMatches []servicetags.Match
	sinkU32     uint32
	sinkOK      bool
)

const heapMetric = "/memory/classes/heap/objects:bytes"

func heapNow() uint64 {
	s := []metrics.Sample{{Name: heapMetric}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}

// peakHeap runs f once from a collected heap while a goroutine samples
// the heap's objects (runtime/metrics, no stop-the-world) every 50 µs, and
// returns the highest value above the level before f, and the live heap f
// leaves behind once collected, both in bytes.
func peakHeap(f func()) (peak, retained float64) {
	runtime.GC()
	base := heapNow()
	done, res := make(chan struct{}), make(chan uint64)
	go func() {
		var top uint64
		t := time.NewTicker(50 * time.Microsecond)
		defer t.Stop()
		for {
			if v := heapNow(); v > base && v-base > top {
				top = v - base
			}
			select {
			case <-done:
				res <- top
				return
			case <-t.C:
			}
		}
	}()
	f()
	close(done)
	top := <-res
	runtime.GC()
	after := heapNow()
	kept := 0.0
	if after > base {
		kept = float64(after - base)
	}
	return float64(top), kept
}

func decodeMap(b *testing.B, data []byte) {
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		b.Fatal(err)
	}
	sinkMap = m
}

func parseTags(b *testing.B, data []byte) {
	c, err := servicetags.Parse(bytes.NewReader(data), servicetags.Options{})
	if err != nil {
		b.Fatal(err)
	}
	sinkCatalog = c
}

// BenchmarkServiceTagsParse parses the 4 MB public file from memory.
// encoding_json_map is plain encoding/json into map[string]any, the
// yardstick; vnetpath is servicetags.Parse, which also builds the index.
// Each reports peak-heap-B, the highest heap above the starting level
// during one parse, and kept-B, what that parse leaves live.
//
// paired runs one of each per iteration, back to back, and reports the
// median of the per-iteration ratios (x-json): on a shared, noisy machine
// a slow period then hits both sides of a pair.
func BenchmarkServiceTagsParse(b *testing.B) {
	data, _ := loadPublicTags(b)
	for _, s := range []struct {
		name  string
		parse func(*testing.B, []byte)
	}{{"encoding_json_map", decodeMap}, {"vnetpath", parseTags}} {
		b.Run(s.name, func(b *testing.B) {
			sinkMap, sinkCatalog = nil, nil
			peak, kept := peakHeap(func() { s.parse(b, data) })
			b.ReportAllocs()
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				s.parse(b, data)
			}
			b.ReportMetric(peak, "peak-heap-B")
			b.ReportMetric(kept, "kept-B")
			sinkMap, sinkCatalog = nil, nil
		})
	}
	b.Run("paired", func(b *testing.B) {
		var ratios, jsonMS, tagsMS []float64
		for b.Loop() {
			sinkMap, sinkCatalog = nil, nil
			t0 := time.Now()
			decodeMap(b, data)
			t1 := time.Now()
			parseTags(b, data)
			t2 := time.Now()
			j, v := t1.Sub(t0).Seconds(), t2.Sub(t1).Seconds()
			ratios = append(ratios, v/j)
			jsonMS = append(jsonMS, j*1e3)
			tagsMS = append(tagsMS, v*1e3)
		}
		b.ReportMetric(median(jsonMS), "json-ms")
		b.ReportMetric(median(tagsMS), "vnetpath-ms")
		b.ReportMetric(median(ratios), "x-json")
		sinkMap, sinkCatalog = nil, nil
	})
}

// lookupProbes returns 1,024 addresses: three in four inside a random
// prefix of the catalog (IPv4 and IPv6 in the catalog's proportion), the
// rest uniformly random IPv4 addresses, which mostly miss.
func lookupProbes(prefixes []netip.Prefix) []netip.Addr {
	r := rand.New(rand.NewPCG(1, 2))
	out := make([]netip.Addr, 1024)
	for i := range out {
		if i%4 == 3 {
			var a [4]byte
			for k := range a {
				a[k] = byte(r.Uint32())
			}
			out[i] = netip.AddrFrom4(a)
			continue
		}
		p := prefixes[r.IntN(len(prefixes))]
		b := p.Addr().AsSlice()
		for k := p.Bits(); k < len(b)*8; k++ {
			if r.IntN(2) == 1 {
				b[k/8] |= 0x80 >> (k % 8)
			}
		}
		a, _ := netip.AddrFromSlice(b)
		out[i] = a
	}
	return out
}

// BenchmarkServiceTagsLookup compares the catalog's address lookup, which
// returns every tag containing the address, with one raw longest-prefix
// match in a bart.Table[uint32] holding the same distinct prefixes. An
// iteration looks up all 1,024 probes (ns/op and allocs/op are per batch;
// ns/lookup per address). vnetpath is Catalog.Lookup, which allocates its
// result; vnetpath_append is Catalog.AppendLookup into a reused buffer.
// paired times one batch with bart and one with AppendLookup, back to
// back, per iteration, and reports median ns per lookup and the median
// ratio (append-x-bart). Lookup stays out of the pairing: its cost is
// mostly the allocation, whose price depends on how fast the loop
// allocates, which pairing would dilute.
func BenchmarkServiceTagsLookup(b *testing.B) {
	_, cat := loadPublicTags(b)
	var prefixes []netip.Prefix
	for t := range cat.All() {
		prefixes = append(prefixes, t.Prefixes...)
	}
	// Distinct, inserted in address order as the catalog inserts them, so
	// that both tries lay their nodes out alike.
	slices.SortFunc(prefixes, func(p, q netip.Prefix) int {
		if c := p.Addr().Compare(q.Addr()); c != 0 {
			return c
		}
		return p.Bits() - q.Bits()
	})
	prefixes = slices.Compact(prefixes)
	var raw bart.Table[uint32]
	for i, p := range prefixes {
		raw.Insert(p, uint32(i))
	}
	probes := lookupProbes(prefixes)
	buf := make([]servicetags.Match, 0, 16)
	bartOne := func(a netip.Addr) { sinkU32, sinkOK = raw.Lookup(a) }
	lookupOne := func(a netip.Addr) { sinkMatches = cat.Lookup(a) }
	appendOne := func(a netip.Addr) { buf = cat.AppendLookup(buf[:0], a) }

	for _, s := range []struct {
		name string
		f    func(netip.Addr)
	}{{"bart", bartOne}, {"vnetpath", lookupOne}, {"vnetpath_append", appendOne}} {
		b.Run(s.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				for _, a := range probes {
					s.f(a)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(probes)), "ns/lookup")
		})
	}
	b.Run("paired", func(b *testing.B) {
		batch := func(f func(netip.Addr)) float64 {
			t0 := time.Now()
			for _, a := range probes {
				f(a)
			}
			return float64(time.Since(t0).Nanoseconds()) / float64(len(probes))
		}
		var nsBart, nsAppend, ratio []float64
		for b.Loop() {
			r := batch(bartOne)
			a := batch(appendOne)
			nsBart, nsAppend, ratio = append(nsBart, r), append(nsAppend, a), append(ratio, a/r)
		}
		b.ReportMetric(median(nsBart), "bart-ns")
		b.ReportMetric(median(nsAppend), "append-ns")
		b.ReportMetric(median(ratio), "append-x-bart")
	})
	sinkMatches = buf
}

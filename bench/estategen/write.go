package estategen

import (
	"fmt"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
)

// Stats describe a rendered estate.
type Stats struct {
	Files     int
	Bytes     int64
	Resources map[string]int // by type, child resources (subnets, rules, ...) included
}

// subscriptions returns the number of subscriptions: connectivity and the
// landing zones.
func (e *Estate) subscriptions() int {
	return 1 + (len(e.spokes)+SpokesPerSubscription-1)/SpokesPerSubscription
}

func (e *Estate) renderUnit(k int) *unit {
	if k == 0 {
		return e.connectivity()
	}
	return e.landingZone(k)
}

// Render renders the estate and hands each file to yield, by path
// ("connectivity/virtualNetworks.json", "lz-001/routeTables.json", ...), in
// path order. Subscriptions are rendered in parallel, a few at a time, so
// memory stays bounded by a few subscriptions' files whatever the size of
// the estate. Render stops at the first error yield returns.
func (e *Estate) Render(yield func(path string, data []byte) error) (Stats, error) {
	return e.renderChunks(func(path string, data [][]byte) error {
		return yield(path, join(data))
	})
}

// renderChunks is Render handing out each file as the chunks it was written
// in; they are reused once yield returns.
func (e *Estate) renderChunks(yield func(path string, data [][]byte) error) (Stats, error) {
	st := Stats{Resources: map[string]int{}}
	n := e.subscriptions()
	workers := max(1, runtime.GOMAXPROCS(0))
	results := make([]chan *unit, n)
	for k := range results {
		results[k] = make(chan *unit, 1)
	}
	tokens := make(chan struct{}, workers+1)
	go func() {
		for k := range n {
			tokens <- struct{}{}
			go func() { results[k] <- e.renderUnit(k) }()
		}
	}()
	var err error
	for k := range n {
		u := <-results[k]
		if err == nil {
			err = u.finish(func(path string, data [][]byte) error {
				st.Files++
				for _, c := range data {
					st.Bytes += int64(len(c))
				}
				err := yield(path, data)
				release(data)
				return err
			})
			for t, c := range u.counts {
				st.Resources[t] += c
			}
		}
		<-tokens
	}
	return st, err
}

// Files renders the estate in memory, by path.
func (e *Estate) Files() map[string][]byte {
	out := map[string][]byte{}
	_, _ = e.Render(func(path string, data []byte) error {
		out[path] = data
		return nil
	})
	return out
}

// WriteDir writes the estate under dir, which must not exist or be empty:
// one directory per subscription, one file per resource type. Workers
// render and write subscriptions in parallel.
func (e *Estate) WriteDir(dir string) (Stats, error) {
	if ents, err := os.ReadDir(dir); err == nil && len(ents) > 0 {
		return Stats{}, fmt.Errorf("%s: %w: the estate needs a new or empty directory", dir, errNotEmpty)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return Stats{}, err
	}
	var (
		mu    sync.Mutex
		st    = Stats{Resources: map[string]int{}}
		first error
		wg    sync.WaitGroup
		next  = make(chan int)
	)
	for range max(1, runtime.GOMAXPROCS(0)) {
		wg.Go(func() {
			for k := range next {
				u := e.renderUnit(k)
				var files int
				var bytes int64
				err := os.MkdirAll(filepath.Join(dir, u.dir), 0o755)
				if err == nil {
					err = u.finish(func(path string, data [][]byte) error {
						files++
						for _, c := range data {
							bytes += int64(len(c))
						}
						err := writeFile(filepath.Join(dir, filepath.FromSlash(path)), data)
						release(data)
						return err
					})
				}
				mu.Lock()
				st.Files += files
				st.Bytes += bytes
				for t, c := range u.counts {
					st.Resources[t] += c
				}
				if err != nil && first == nil {
					first = err
				}
				mu.Unlock()
			}
		})
	}
	for k := range e.subscriptions() {
		next <- k
	}
	close(next)
	wg.Wait()
	return st, first
}

func writeFile(path string, data [][]byte) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	bufs := net.Buffers(data)
	_, err = bufs.WriteTo(f)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// Summary returns a one-line description of what s holds.
func (s Stats) Summary() string {
	total := 0
	for _, c := range s.Resources {
		total += c
	}
	var top []string
	for _, t := range []string{typeVNet, typeSubnet, typeNSG, typeSecurityRule, typeRoute, typeNIC, typePE} {
		top = append(top, fmt.Sprintf("%d %s", s.Resources[t], shortType(t)))
	}
	return fmt.Sprintf("%d files, %.1f MB, %d resources (%s)", s.Files, float64(s.Bytes)/1e6, total, strings.Join(top, ", "))
}

func shortType(t string) string { return t[strings.LastIndexByte(t, '/')+1:] }

package azure

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	pathpkg "path"
	"path/filepath"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/vnetpath/vnetpath/internal/jsonscan"
	"github.com/vnetpath/vnetpath/topology"
)

// DefaultMaxFileBytes is the largest snapshot file Load reads when
// Options.MaxFileBytes is 0: 64 MiB.
const DefaultMaxFileBytes = 64 << 20

// Options control loading. The zero value is strict loading with the
// default file size limit.
type Options struct {
	Lenient      bool  // resource-level errors become warnings; the faulty resource is dropped and listed as missing
	MaxFileBytes int64 // 0 means the default, 64 MiB
	// Changes are applied, in order, on top of the snapshot's resources:
	// deployment templates and Terraform plans not deployed yet (see
	// [Change] and [LoadChange]).
	Changes []Change
}

func (o Options) maxBytes() int64 {
	if o.MaxFileBytes <= 0 {
		return DefaultMaxFileBytes
	}
	return o.MaxFileBytes
}

// Result is a loaded snapshot and what was noticed on the way. The loaders
// return it filled and do not keep it; the Snapshot is safe for concurrent
// readers.
type Result struct {
	Snapshot *topology.Snapshot
	// Warnings holds every warning: the snapshot's own (Snapshot.Warnings:
	// loader warnings such as unknown enum values, and the Builder's
	// validation warnings) and, in lenient mode, the errors of the
	// resources that were dropped (those have Fatal set). They are sorted
	// by file (in the order of Files) and by position in the file.
	Warnings []*topology.Finding
	Files    []string // the files read, in order, then the names of Options.Changes
	// Touched lists the IDs of the resources Options.Changes wrote,
	// removed, declared missing or adjusted (a peering whose other half a
	// change created), in order: the candidates for what the changes
	// changed, some of them with the same content as before.
	Touched []string
}

// Load reads the snapshot paths (files or directories) and builds the model.
// A directory is read recursively, in sorted order, taking only files named
// *.json; a file named explicitly is read whatever its name. Each file holds
// a JSON array of ARM resources, an ARM list ({"value": [...]}), a Resource
// Graph answer ({"data": [...]}), a single resource, or a REST API example
// ({"responses": {"200": {"body": RESOURCE}}}); see the package
// documentation. Resources of types vnetpath does not model are counted in
// Snapshot.Skipped. Paths are read in the order given, and the same
// resource may appear in several of them.
//
// A reference to a resource the snapshot lacks is not an error: the
// resource is listed in Snapshot.Missing and one warning sums them up. A
// well-formed JSON file that holds no resources (a deployment template, a
// Terraform plan, package.json) is set aside with a warning saying what it
// looks like. A snapshot without any virtual network is an error saying what
// to export.
//
// In strict mode any resource-level error (a malformed field, a duplicate
// ID with different content) makes Load return a nil Result and an
// errors.Join of *topology.Finding values, each naming the file, the
// resource ID and the JSON path of the bad field. With Options.Lenient these
// become warnings, and the resource at fault is dropped and listed as
// missing with the finding. File-level errors (a path that does not exist,
// an empty directory, a file that is not JSON or is truncated, a file larger
// than Options.MaxFileBytes) are always errors.
//
// Files are decoded in parallel; the result does not depend on scheduling.
// Load, LoadBytes and LoadFS are safe for concurrent use.
func Load(paths []string, opts Options) (*Result, error) {
	if len(paths) == 0 && len(opts.Changes) == 0 {
		return nil, errors.New("no snapshot paths given")
	}
	names, err := collect(paths)
	if err != nil {
		return nil, err
	}
	// Files are read as the pipeline reaches them (see stream), so that
	// only a few are held at once.
	limit := opts.maxBytes()
	files := make([]input, len(names))
	for i, name := range names {
		files[i] = input{name: name, read: func() ([]byte, error) { return readFile(name, limit) }}
	}
	return load(files, opts)
}

// LoadBytes loads one in-memory file as [Load] loads a file; name is used in
// messages.
func LoadBytes(name string, data []byte, opts Options) (*Result, error) {
	if n := int64(len(data)); n > opts.maxBytes() {
		return nil, tooLarge(name, n, opts.maxBytes())
	}
	return load([]input{{name: name, data: data}}, opts)
}

// LoadFS loads every *.json file of fsys, in sorted order (as [Load] reads
// a directory); names in Result.Files and in findings are paths within
// fsys. It lets callers load snapshots held in memory (testing/fstest's
// MapFS) or in an archive.
func LoadFS(fsys fs.FS, opts Options) (*Result, error) {
	var files []input
	// The files are read as the pipeline reaches them; an error of the walk
	// is kept in its place among them, so that the first error in walk
	// order is the one returned, as when every file was read first.
	walkErr := func(err error) error {
		var f *topology.Finding
		if errors.As(err, &f) {
			return err
		}
		return fmt.Errorf("reading the snapshot: %w", err)
	}
	failed := false
	err := fs.WalkDir(fsys, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			files = append(files, input{name: path, read: func() ([]byte, error) { return nil, walkErr(err) }})
			failed = true
			return fs.SkipAll
		}
		if d.IsDir() || !strings.EqualFold(pathpkg.Ext(path), ".json") {
			return nil
		}
		if info, err := d.Info(); err == nil && info.Size() > opts.maxBytes() {
			files = append(files, input{name: path, read: func() ([]byte, error) { return nil, tooLarge(path, info.Size(), opts.maxBytes()) }})
			failed = true
			return fs.SkipAll
		}
		files = append(files, input{name: path, read: func() ([]byte, error) {
			data, err := fs.ReadFile(fsys, path)
			if err != nil {
				return nil, walkErr(err)
			}
			if int64(len(data)) > opts.maxBytes() {
				return nil, tooLarge(path, int64(len(data)), opts.maxBytes())
			}
			return data, nil
		}})
		return nil
	})
	if err != nil && !failed {
		return nil, walkErr(err)
	}
	if len(files) == 0 {
		return nil, &topology.Finding{Msg: "snapshot holds no .json files", Fatal: true}
	}
	return load(files, opts)
}

// Size returns how many bytes the files [Load] reads for paths hold: the
// .json files of each directory (its subdirectories included) and each
// file named. A caller sizes what it prepares for a load by it; an error
// is the one Load would return for the paths.
func Size(paths []string) (int64, error) {
	names, err := collect(paths)
	if err != nil {
		return 0, err
	}
	var total int64
	for _, name := range names {
		if st, err := os.Stat(name); err == nil {
			total += st.Size()
		}
	}
	return total, nil
}

// input is one snapshot file: its bytes, or how to read them when the
// pipeline reaches it.
type input struct {
	name string
	data []byte
	read func() ([]byte, error) // nil when data holds the file
}

// collect expands the paths into the list of files to read.
func collect(paths []string) ([]string, error) {
	var out []string
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			return nil, fmt.Errorf("snapshot path: %w", err)
		}
		if !st.IsDir() {
			out = append(out, p)
			continue
		}
		n := len(out)
		err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() || !strings.EqualFold(filepath.Ext(path), ".json") {
				return nil
			}
			if d.Type()&fs.ModeSymlink != 0 {
				if st, err := os.Stat(path); err != nil || !st.Mode().IsRegular() {
					return nil
				}
			} else if !d.Type().IsRegular() {
				return nil
			}
			out = append(out, path)
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("reading snapshot directory %s: %w", p, err)
		}
		if len(out) == n {
			return nil, &topology.Finding{File: p, Msg: "snapshot directory holds no .json files", Fatal: true}
		}
	}
	return out, nil
}

func tooLarge(name string, size, limit int64) error {
	return &topology.Finding{File: name, Fatal: true,
		Msg: fmt.Sprintf("file is %d bytes, larger than the limit of %d bytes", size, limit)}
}

func readFile(name string, limit int64) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, fmt.Errorf("snapshot file: %w", err)
	}
	defer f.Close()
	var size int64
	if st, err := f.Stat(); err == nil {
		if size = st.Size(); size > limit {
			return nil, tooLarge(name, size, limit)
		}
	}
	// Read into a buffer of the file's size (plus one byte to see the end),
	// growing only when the file grew since Stat.
	data := make([]byte, 0, size+1)
	for {
		n, err := f.Read(data[len(data):cap(data)])
		data = data[:len(data)+n]
		if int64(len(data)) > limit {
			break
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("reading snapshot file %s: %w", name, err)
		}
		if len(data) == cap(data) {
			data = append(data, 0)[:len(data)]
		}
	}
	if int64(len(data)) > limit {
		return nil, tooLarge(name, int64(len(data)), limit)
	}
	return data, nil
}

// element is one resource in a file.
type element struct {
	file       int
	start, end int    // byte range of the value
	path       string // JSON path of the value, "$[3]", "$.value[0]", "$"
	kind       byte   // the first byte of the value: '{' for an object
	id, typ    string // its top-level id and type
	badID      byte   // the first byte of an id that is not a string, or 0
	badType    byte   // the same for type
}

// parallel runs fn(0..n-1) on up to GOMAXPROCS goroutines, handing out
// indexes in chunks.
func parallel(n, chunk int, fn func(i int)) {
	workers := min(runtime.GOMAXPROCS(0), (n+chunk-1)/chunk)
	if workers <= 1 {
		for i := range n {
			fn(i)
		}
		return
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for {
				lo := int(next.Add(int64(chunk))) - chunk
				if lo >= n {
					return
				}
				for i := lo; i < min(lo+chunk, n); i++ {
					fn(i)
				}
			}
		})
	}
	wg.Wait()
}

// fileResult is what the pipeline made of one file: its resources decoded
// and converted, or the error that stops it. The file's bytes are not kept.
type fileResult struct {
	outcomes []outcome
	vnet     bool              // it holds a virtual network
	note     *topology.Finding // why the file was set aside
	readErr  error             // the file could not be read
	splitErr error             // the file is not well-formed JSON, or holds no resource list
}

// prepare reads one file, splits it into its resources (this pass also
// checks that the file is well-formed JSON) and decodes and converts them.
func prepare(fi int, f input, pool *sync.Pool) fileResult {
	if f.read != nil {
		data, err := f.read()
		if err != nil {
			return fileResult{readErr: err}
		}
		f.data = data
	}
	elems, note, err := splitFile(fi, f)
	if err != nil {
		return fileResult{splitErr: err}
	}
	r := fileResult{outcomes: make([]outcome, len(elems)), note: note, vnet: slices.ContainsFunc(elems, isVNet)}
	parallel(len(elems), 16, func(i int) {
		d, _ := pool.Get().(*decoder)
		if d == nil {
			d = new(decoder)
		}
		r.outcomes[i] = process(d, f, elems[i])
		d.release()
		pool.Put(d)
	})
	return r
}

// stream runs prepare over the files in order, a few files ahead of the
// consumer: next(i) returns the result of file i (to be called for i = 0,
// 1, ... in turn), and stop ends the work early. Reading every file before
// decoding any held the whole snapshot's bytes and every decoded resource
// at once; this holds a window of files.
func stream(files []input) (next func(i int) fileResult, stop func()) {
	var pool sync.Pool
	out := make([]chan fileResult, len(files))
	for i := range out {
		out[i] = make(chan fileResult, 1)
	}
	window := make(chan struct{}, runtime.GOMAXPROCS(0)+1)
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		for i := range files {
			select {
			case window <- struct{}{}:
			case <-done:
				return
			}
			wg.Go(func() { out[i] <- prepare(i, files[i], &pool) })
		}
	})
	next = func(i int) fileResult {
		r := <-out[i]
		out[i] = nil
		<-window
		return r
	}
	stop = func() {
		close(done)
		wg.Wait()
	}
	return next, stop
}

// later is what the loader hands the Builder of one resource after the
// whole snapshot is read: its findings, the resources of its own that are
// at fault, and, when changes are merged, its parts. Without changes the
// parts that are not at fault go to the Builder at once and are not kept.
type later struct {
	file      int
	skip      string
	skipID    string
	findings  []*topology.Finding
	parts     []part
	malformed []malformedPart
}

// malformedPart is a resource dropped in lenient mode because the resource
// that embeds it is at fault.
type malformedPart struct {
	id    string
	fault *topology.Finding
}

func load(files []input, opts Options) (*Result, error) {
	initHandlers()
	files, layerOf := withChanges(files, opts.Changes)

	// Read, split, decode and convert the files a few at a time; take
	// their results in input order. Without changes the resources go to
	// the Builder as they come. Everything else is handed to it in the
	// order of the files once all are read, as it was when the whole
	// snapshot was decoded first: the Builder records only errors while
	// resources are added, so the order of its findings does not change.
	b := topology.Builder{}
	loc := &locator{flat: map[string]map[string]bool{}}
	b.Locate = loc.place
	direct := len(opts.Changes) == 0
	next, stop := stream(files)
	defer stop()
	var (
		splitErrs []error
		setAside  []*topology.Finding
		held      []later
		vnet      bool
	)
	for fi := range files {
		r := next(fi)
		if r.readErr != nil {
			return nil, r.readErr
		}
		if r.splitErr != nil {
			splitErrs = append(splitErrs, r.splitErr)
			continue
		}
		if r.note != nil {
			setAside = append(setAside, r.note)
		}
		vnet = vnet || r.vnet
		if len(splitErrs) > 0 {
			continue // the load fails: only the other files' errors matter now
		}
		for oi := range r.outcomes {
			o := &r.outcomes[oi]
			loc.add(o)
			p := later{file: fi, skip: o.skip, skipID: o.skipID, findings: o.findings}
			if !direct {
				p.parts = o.parts
				held = append(held, p)
				continue
			}
			for _, pt := range o.parts {
				switch fault := pt.ctx.fault(); {
				case fault == nil:
					b.Add(pt.typ, pt.v)
				case opts.Lenient && pt.ctx.bad == nil:
					p.malformed = append(p.malformed, malformedPart{pt.ctx.id, fault})
				}
			}
			if p.skip != "" || len(p.findings) > 0 || len(p.malformed) > 0 {
				held = append(held, p)
			}
		}
	}
	if err := errors.Join(splitErrs...); err != nil {
		return nil, err
	}
	if !vnet {
		return nil, noVNet(setAside)
	}

	// Hand the rest to the Builder in input order, the changes applied on
	// top of the snapshot's resources.
	for _, f := range setAside {
		b.Warn(f)
	}
	var errs, dropped []*topology.Finding
	spelling := map[string]string{}
	m := newMerger(&b, opts.Changes)
	layer := 0
	var own []*layerPart
	for _, o := range held {
		if l := layerOf[o.file]; l != layer {
			for ; layer < l; layer++ {
				if layer > 0 {
					m.apply(layer-1, own)
					own = nil
				}
			}
		}
		if o.skip != "" {
			k := strings.ToLower(o.skip)
			if _, ok := spelling[k]; !ok {
				spelling[k] = o.skip
			}
			b.SkipResource(spelling[k], o.skipID)
			continue
		}
		for _, f := range o.findings {
			switch {
			case !f.Fatal:
				b.Warn(f)
			case opts.Lenient:
				dropped = append(dropped, f)
				b.Malformed(f.ID, f)
			default:
				errs = append(errs, f)
			}
		}
		for _, mp := range o.malformed {
			b.Malformed(mp.id, mp.fault)
		}
		for _, p := range o.parts {
			fault := p.ctx.fault()
			switch {
			case fault == nil && layer == 0:
				m.add(p, 0)
			case fault == nil:
				own = append(own, &layerPart{part: p, key: topology.Key(p.ctx.id), layer: layer})
			case opts.Lenient && p.ctx.bad == nil:
				// Embedded in a malformed resource: dropped with it.
				b.Malformed(p.ctx.id, fault)
			}
		}
	}
	for ; layer <= len(opts.Changes); layer++ {
		if layer > 0 {
			m.apply(layer-1, own)
			own = nil
		}
	}
	if len(errs) > 0 {
		changeFindings(errs, opts.Changes)
		return nil, joinFindings(errs)
	}
	for _, p := range m.finish() {
		b.Add(p.typ, p.v)
	}
	for _, f := range m.assumptions() {
		b.Warn(f)
	}
	snap, err := b.Build()
	if err != nil {
		fs := findingsOf(err)
		changeFindings(fs, opts.Changes)
		if !opts.Lenient {
			return nil, joinFindings(fs)
		}
		dropped = append(dropped, fs...)
	}
	res := &Result{Snapshot: snap, Files: make([]string, len(files)), Touched: m.touched}
	for i, f := range files {
		res.Files[i] = f.name
	}
	res.Warnings = append(snap.Warnings(), dropped...)
	changeFindings(res.Warnings, opts.Changes)
	sortFindings(res.Warnings, res.Files)
	return res, nil
}

// isVNet reports whether a resource of a file is a virtual network.
func isVNet(e element) bool {
	if e.typ != "" {
		return strings.EqualFold(e.typ, topology.TypeVNet)
	}
	r, ok := topology.ParseResourceID(e.id)
	return ok && strings.EqualFold(r.Type(), topology.TypeVNet)
}

// noVNet is the error for a snapshot without a virtual network, which
// vnetpath cannot answer about; the files set aside follow it.
func noVNet(setAside []*topology.Finding) error {
	errs := []error{&topology.Finding{Fatal: true, Msg: "the snapshot holds no virtual network (" + topology.TypeVNet + "): " +
		"export them with `az network vnet list -o json > vnets.json`, or with the Resource Graph query of the README's Inputs section"}}
	for _, f := range setAside {
		errs = append(errs, f)
	}
	return errors.Join(errs...)
}

// locator turns the model fields of the Builder's findings into JSON paths:
// the Builder knows resources, the loader knows where their fields are.
type locator struct {
	flat map[string]map[string]bool // file + "\x00" + root path -> the root's flattened objects
}

// add records where the flattened objects of a resource are.
func (l *locator) add(o *outcome) {
	if len(o.flat) > 0 && len(o.parts) > 0 {
		l.flat[o.parts[0].ctx.file+"\x00"+o.root] = o.flat
	}
}

// place folds f.Field into f.Path when the handler of the resource's type
// knows where the field is.
func (l *locator) place(f *topology.Finding) {
	if f.Field == "" || f.Path == "" {
		return
	}
	r, ok := topology.ParseResourceID(f.ID)
	if !ok {
		return
	}
	h := handlers[strings.ToLower(r.Type())]
	if h == nil {
		return
	}
	pattern, indexes := fieldPattern(f.Field)
	tmpl, ok := h.fields[pattern]
	if !ok && pattern == "ID" {
		tmpl, ok = ".id", true
	}
	if !ok || tmpl == "" {
		return
	}
	for _, i := range indexes {
		tmpl = strings.Replace(tmpl, "[]", "["+i+"]", 1)
	}
	root, flat := l.root(f.File, f.Path)
	f.Path = written(root, flat, f.Path+tmpl)
	f.Field = ""
}

// root finds the root resource that holds the resource at path.
func (l *locator) root(file, path string) (string, map[string]bool) {
	for i := 1; i <= len(path); i++ {
		if i < len(path) && path[i] != '.' && path[i] != '[' {
			continue
		}
		if flat, ok := l.flat[file+"\x00"+path[:i]]; ok {
			return path[:i], flat
		}
	}
	return "", nil
}

// fieldPattern splits a field identifier into its pattern ("[]" for each
// index) and the indexes: "IPConfigs[0].ASGs[2]" -> "IPConfigs[].ASGs[]",
// ["0", "2"].
func fieldPattern(field string) (string, []string) {
	var b strings.Builder
	var idx []string
	for {
		i := strings.IndexByte(field, '[')
		if i < 0 {
			b.WriteString(field)
			return b.String(), idx
		}
		j := strings.IndexByte(field[i:], ']')
		if j < 0 {
			b.WriteString(field)
			return b.String(), idx
		}
		b.WriteString(field[:i+1])
		b.WriteByte(']')
		idx = append(idx, field[i+1:i+j])
		field = field[i+j+1:]
	}
}

func joinFindings(fs []*topology.Finding) error {
	errs := make([]error, len(fs))
	for i, f := range fs {
		errs[i] = f
	}
	return errors.Join(errs...)
}

// findingsOf returns the findings an error of Builder.Build joins.
func findingsOf(err error) []*topology.Finding {
	var out []*topology.Finding
	var walk func(error)
	walk = func(err error) {
		if f, ok := err.(*topology.Finding); ok {
			out = append(out, f)
			return
		}
		if j, ok := err.(interface{ Unwrap() []error }); ok {
			for _, e := range j.Unwrap() {
				walk(e)
			}
			return
		}
		out = append(out, &topology.Finding{Msg: err.Error(), Fatal: true})
	}
	walk(err)
	return out
}

// sortFindings orders findings by file (in the order files were read) and
// by position in the file, keeping the order of findings at the same place.
func sortFindings(fs []*topology.Finding, files []string) {
	rank := make(map[string]int, len(files))
	for i, f := range files {
		if _, ok := rank[f]; !ok {
			rank[f] = i
		}
	}
	fileRank := func(f string) int {
		if r, ok := rank[f]; ok {
			return r
		}
		return -1
	}
	slices.SortStableFunc(fs, func(a, b *topology.Finding) int {
		if c := fileRank(a.File) - fileRank(b.File); c != 0 {
			return c
		}
		return comparePaths(a.Path, b.Path)
	})
}

// comparePaths orders JSON paths by position: array indexes compare as
// numbers, so "$[2]" comes before "$[10]".
func comparePaths(a, b string) int {
	for a != "" && b != "" {
		na, ra := leadingNumber(a)
		nb, rb := leadingNumber(b)
		if ra != a && rb != b { // both start with a number
			if na != nb {
				if na < nb {
					return -1
				}
				return 1
			}
			a, b = ra, rb
			continue
		}
		if a[0] != b[0] {
			return int(a[0]) - int(b[0])
		}
		a, b = a[1:], b[1:]
	}
	return len(a) - len(b)
}

func leadingNumber(s string) (int, string) {
	n, i := 0, 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' && i < 9 {
		n = n*10 + int(s[i]-'0')
		i++
	}
	return n, s[i:]
}

// process decodes and converts one resource.
func process(d *decoder, f input, e element) outcome {
	var out outcome
	root := &rctx{out: &out, file: f.name, path: e.path, root: e.path, id: e.id, lists: &d.lists}
	out.root = e.path
	if e.kind != '{' {
		root.fail("", "resource is "+jsonscan.Kind(e.kind)+", not an object")
		return out
	}
	if e.badID != 0 || e.badType != 0 {
		if e.badID != 0 {
			root.fail(".id", "wrong JSON type: "+jsonscan.Kind(e.badID)+" where a string is expected")
		}
		if e.badType != 0 {
			root.fail(".type", "wrong JSON type: "+jsonscan.Kind(e.badType)+" where a string is expected")
		}
		return out
	}
	id, typ := e.id, e.typ
	if id == "" {
		root.fail(".id", "resource has no id")
		return out
	}
	if typ == "" {
		r, ok := topology.ParseResourceID(id)
		if !ok {
			root.fail(".type", "resource has no type, and its id is not an ARM resource ID")
			return out
		}
		typ = r.Type()
		root.warn(".type", "resource has no type; taken from its id as "+typ)
	}
	if strings.EqualFold(typ, typeDefaultSecurityRule) {
		// The six default rules are always modelled (reference §3.2):
		// a listing of them adds nothing and skips nothing.
		return out
	}
	h := handlers[strings.ToLower(typ)]
	if h == nil {
		out.skip, out.skipID = typ, id
		return out
	}
	root.typ = h.typ
	v := reflect.New(h.model)
	d.scanner = scanner{data: f.data[:e.end], pos: e.start}
	d.stack, d.errs, d.flat = d.stack[:0], d.errs[:0], d.flat[:0]
	if !d.decode(v.Elem(), h.plan) {
		// Malformed JSON: splitFile checked the file, so this is a bug.
		root.fail("", "internal error: "+d.errs[len(d.errs)-1].msg)
		return out
	}
	pending := slices.Clone(d.errs)
	root.pending = &pending
	if len(d.flat) > 0 {
		root.flat = make(map[string]bool, len(d.flat))
		for _, f := range d.flat {
			root.flat[f] = true
		}
		out.flat = root.flat
	}
	h.convert(root, v.Interface())
	root.claim()
	return out
}

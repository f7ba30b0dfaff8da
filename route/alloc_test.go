package route

import (
	"github.com/vnetpath/vnetpath/topology"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
)

// TestNoAllocs checks that the hot paths do not allocate.
func TestNoAllocs(t *testing.T) {
	var b Builder
	for _, r := range SystemRoutes(prefixes("10.0.0.0/16", "fd00::/48"), false) {
		b.Add(r)
	}
	b.Add(rt("to-fw", SourceUser, topology.NextHopVirtualAppliance, "10.0.1.0/24"))
	b.Add(Route{Prefixes: prefixes("10.0.1.4/32"), NextHopType: topology.NextHopInterfaceEndpoint})
	tbl, err := b.Build()
	if err != nil {
		t.Fatal(err)
	}
	v4, v6, mapped := mpa("10.0.1.9"), mpa("fd00::9"), mpa("::ffff:10.0.1.4")
	p := mpp("10.0.1.0/25")
	var sink ID
	tests := []struct {
		name string
		f    func()
	}{
		{"Lookup/v4", func() { sink, _ = tbl.Lookup(v4) }},
		{"Lookup/v6", func() { sink, _ = tbl.Lookup(v6) }},
		{"Lookup/mapped", func() { sink, _ = tbl.Lookup(mapped) }},
		{"Match", func() { _, sink, _ = tbl.Match(v4) }},
		{"LookupPrefix", func() { sink, _ = tbl.LookupPrefix(p) }},
		{"NextHop", func() { nh, _ := tbl.NextHop(7); sink = ID(len(nh)) }},
		{"State", func() { sink = ID(tbl.State(7)) }},
		{"Len", func() { sink = ID(tbl.Len()) }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if n := testing.AllocsPerRun(1000, tc.f); n != 0 {
				t.Errorf("%v allocations per call, want 0", n)
			}
		})
	}
	_ = sink
}

// TestInlining checks that the compiler inlines the accessors an engine
// calls after every lookup, so reading a next hop costs two loads.
func TestInlining(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the package with -gcflags=-m")
	}
	if runtime.Compiler != "gc" {
		t.Skip("inlining is checked for the gc compiler only")
	}
	out, err := exec.Command("go", "build", "-gcflags=-m", ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build -gcflags=-m: %v\n%s", err, out)
	}
	for _, fn := range []string{`\(\*Table\)\.NextHop`, `\(\*indexes\)\.at`, `\(\*Table\)\.Len`} {
		if !regexp.MustCompile(`(?m)can inline ` + fn + `( |$)`).Match(out) {
			t.Errorf("%s is not inlinable", strings.ReplaceAll(fn, `\`, ""))
		}
	}
}

// TestAPIHidesDependencies checks that no exported declaration of the
// package mentions bart or netipx (both pre-v1), and that the package
// imports no Azure SDK.
func TestAPIHidesDependencies(t *testing.T) {
	fset := token.NewFileSet()
	files, _ := filepath.Glob("*.go")
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		f, err := parser.ParseFile(fset, name, src, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range f.Imports {
			if strings.Contains(imp.Path.Value, "azure-sdk-for-go") {
				t.Errorf("%s imports %s", name, imp.Path.Value)
			}
		}
		for _, d := range f.Decls {
			var exposed []ast.Node
			switch d := d.(type) {
			case *ast.FuncDecl:
				if d.Name.IsExported() && (d.Recv == nil || exportedRecv(d.Recv)) {
					exposed = append(exposed, d.Type)
				}
			case *ast.GenDecl:
				for _, s := range d.Specs {
					switch s := s.(type) {
					case *ast.TypeSpec:
						if s.Name.IsExported() {
							if st, ok := s.Type.(*ast.StructType); ok {
								for _, fld := range st.Fields.List {
									if len(fld.Names) > 0 && fld.Names[0].IsExported() {
										exposed = append(exposed, fld.Type)
									}
								}
							} else {
								exposed = append(exposed, s.Type)
							}
						}
					case *ast.ValueSpec:
						if s.Names[0].IsExported() && s.Type != nil {
							exposed = append(exposed, s.Type)
						}
					}
				}
			}
			for _, n := range exposed {
				text := string(src[fset.Position(n.Pos()).Offset:fset.Position(n.End()).Offset])
				if strings.Contains(text, "bart.") || strings.Contains(text, "netipx.") {
					t.Errorf("%s: exported API mentions a dependency type: %s", fset.Position(n.Pos()), text)
				}
			}
		}
	}
}

func exportedRecv(fl *ast.FieldList) bool {
	typ := fl.List[0].Type
	if s, ok := typ.(*ast.StarExpr); ok {
		typ = s.X
	}
	id, ok := typ.(*ast.Ident)
	return ok && id.IsExported()
}

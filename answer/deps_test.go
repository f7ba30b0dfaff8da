package answer_test

import (
	"os/exec"
	"strings"
	"testing"
)

// TestDeps keeps answer a leaf that renderers and other tools can import
// without the engine: no bart, no route, no engine, no Azure SDK; of
// vnetpath only topology (for the model enums) and what it needs (cidr,
// and cidr's concurrent map internal/syncmap), and the JSON writer
// internal/jsonenc (standard library only).
func TestDeps(t *testing.T) {
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("the go command is not on PATH")
	}
	for _, pkg := range []string{"answer", "render"} {
		out, err := exec.Command(gobin, "list", "-deps", "github.com/vnetpath/vnetpath/"+pkg).CombinedOutput()
		if err != nil {
			t.Fatalf("go list: %v\n%s", err, out)
		}
		for _, dep := range strings.Fields(string(out)) {
			switch {
			case strings.Contains(dep, "gaissmai/bart"), strings.Contains(dep, "azure-sdk-for-go"),
				strings.HasPrefix(dep, "github.com/vnetpath/vnetpath/") && !strings.HasSuffix(dep, "/"+pkg) &&
					dep != "github.com/vnetpath/vnetpath/topology" && dep != "github.com/vnetpath/vnetpath/cidr" && dep != "github.com/vnetpath/vnetpath/answer" &&
					dep != "github.com/vnetpath/vnetpath/internal/jsonenc" && dep != "github.com/vnetpath/vnetpath/internal/syncmap":
				t.Errorf("%s depends on %s", pkg, dep)
			}
		}
	}
}

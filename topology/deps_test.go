package topology_test

import (
	"os/exec"
	"strings"
	"testing"
)

// TestDeps keeps topology free of the Azure SDK and of bart: only the azure
// package knows ARM JSON, and only route wraps bart (style rule 2).
func TestDeps(t *testing.T) {
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("the go command is not on PATH")
	}
	out, err := exec.Command(gobin, "list", "-deps", "github.com/vnetpath/vnetpath/topology").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	for _, dep := range strings.Fields(string(out)) {
		if strings.Contains(dep, "azure-sdk-for-go") || strings.Contains(dep, "gaissmai/bart") || strings.HasPrefix(dep, "github.com/vnetpath/vnetpath/azure") {
			t.Errorf("topology depends on %s", dep)
		}
	}
}

package azure_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vnetpath/vnetpath/topology"
)

// TestReadmeRecipeExportsEveryType checks that the export recipe of the
// README's Inputs section names every type the loader models: in its
// Resource Graph query, or by the az command that lists it; a type embedded
// in its parent comes with the parent.
func TestReadmeRecipeExportsEveryType(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	readme := string(data)
	start := strings.Index(readme, "\n## Inputs\n")
	if start < 0 {
		t.Fatal("README has no Inputs section")
	}
	section := readme[start+1:]
	if end := strings.Index(section, "\n## "); end >= 0 {
		section = section[:end]
	}
	var recipe strings.Builder
	for _, block := range strings.Split(section, "```sh\n")[1:] {
		recipe.WriteString(block[:strings.Index(block, "```")])
	}
	text := recipe.String()
	if text == "" {
		t.Fatal("the Inputs section has no sh block")
	}
	inQuery := func(typ string) bool { return strings.Contains(text, "'"+strings.ToLower(typ)+"'") }
	byCommand := func(ti topology.TypeInfo) bool {
		cmd := ti.List
		if i := strings.Index(cmd, " -"); i >= 0 {
			cmd = cmd[:i]
		}
		return strings.Contains(text, cmd+" ")
	}
	named := map[string]bool{}
	for _, ti := range topology.Types() {
		switch {
		case ti.Embedded:
			named[ti.Type] = named[ti.Parent]
		default:
			named[ti.Type] = inQuery(ti.Type) || byCommand(ti)
		}
		if !named[ti.Type] {
			t.Errorf("the README's export recipe does not export %s (%s)", ti.Type, ti.List)
		}
	}
}

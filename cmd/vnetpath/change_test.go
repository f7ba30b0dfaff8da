package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// The changes of examples/contoso-changes (see its README).
var (
	unlinkPlan     = filepath.Join("..", "..", "examples", "contoso-changes", "unlink-api-zone.plan.json")
	routeTemplate  = filepath.Join("..", "..", "examples", "contoso-changes", "default-route.json")
	routeParams    = filepath.Join("..", "..", "examples", "contoso-changes", "default-route.parameters.json")
	contosoSub     = "11111111-2222-3333-4444-555555555555"
	contosoScope   = []string{"--subscription", contosoSub, "--resource-group", "rg-spoke-ml"}
	trainToWorkAPI = []string{"--from", "vnet-spoke-ml/snet-train", "--to", workspaceAPI}
)

// checkJSON runs check with -o json and returns the exit status and the
// results' verdicts, warnings and skipped counts.
func checkJSON(t *testing.T, args ...string) (int, []string, []string, map[string]int) {
	t.Helper()
	code, out, errs := runCLI(append(append([]string{"check"}, args...), "-o", "json")...)
	var rep struct {
		Snapshot struct{ Skipped map[string]int }
		Warnings []string
		Results  []struct{ Verdict string }
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("%q: exit %d, not JSON: %v\nstderr: %s", args, code, err, errs)
	}
	var verdicts []string
	for _, r := range rep.Results {
		verdicts = append(verdicts, r.Verdict)
	}
	return code, verdicts, rep.Warnings, rep.Snapshot.Skipped
}

func TestCheckAppliesAPlanOnTopOfTheSnapshot(t *testing.T) {
	code, v, _, _ := checkJSON(t, append([]string{"--snapshot", contoso}, trainToWorkAPI...)...)
	if code != 0 || !slices.Equal(v, []string{"reachable"}) {
		t.Fatalf("without the plan: exit %d, %v", code, v)
	}
	code, v, _, _ = checkJSON(t, append([]string{"--snapshot", contoso, "--plan", unlinkPlan}, trainToWorkAPI...)...)
	if code != 1 || !slices.Equal(v, []string{"private-endpoint-bypassed"}) {
		t.Errorf("with the plan: exit %d, %v; want 1 and private-endpoint-bypassed", code, v)
	}
	// The plan from standard input.
	data, err := os.ReadFile(unlinkPlan)
	if err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	code = runIO(append([]string{"check", "--snapshot", contoso, "--plan", "-", "-o", "json"}, trainToWorkAPI...), bytes.NewReader(data), &out, &errb)
	if code != 1 || !regexp.MustCompile(`"verdict": ?"private-endpoint-bypassed"`).MatchString(out.String()) {
		t.Errorf("--plan -: exit %d, stderr %s", code, errb.String())
	}
}

func TestResolveAppliesAPlan(t *testing.T) {
	args := []string{"resolve", "--snapshot", contoso, "--from", "vnet-spoke-ml", "--name", workspaceAPI}
	if code, _, errs := runCLI(args...); code != 0 {
		t.Fatalf("without the plan: exit %d: %s", code, errs)
	}
	code, out, _ := runCLI(append(args, "--plan", unlinkPlan)...)
	if code != 1 || !strings.Contains(out, "privatelink.api.azureml.ms") {
		t.Errorf("with the plan: exit %d\n%s", code, out)
	}
}

// TestTemplateParametersApplyInOrder: the parameters file of a template,
// then its NAME=VALUE overrides, then the template's defaults.
func TestTemplateParametersApplyInOrder(t *testing.T) {
	nextHop := func(extra ...string) string {
		t.Helper()
		args := append([]string{"routes", "--snapshot", contoso, "--subnet", "vnet-spoke-ml/snet-train", "-o", "json", "--template", routeTemplate}, extra...)
		code, out, errs := runCLI(append(args, contosoScope...)...)
		if code != 0 {
			t.Fatalf("%q: exit %d: %s", extra, code, errs)
		}
		var rt struct {
			Value []struct {
				AddressPrefix    []string
				NextHopType      string
				NextHopIPAddress []string `json:"nextHopIpAddress"`
				State            string
			}
		}
		if err := json.Unmarshal([]byte(out), &rt); err != nil {
			t.Fatal(err)
		}
		for _, r := range rt.Value {
			if r.State == "Active" && slices.Equal(r.AddressPrefix, []string{"0.0.0.0/0"}) {
				return r.NextHopType + " " + strings.Join(r.NextHopIPAddress, ",")
			}
		}
		return "none"
	}
	tests := []struct {
		name  string
		extra []string
		want  string
	}{
		{"the template's defaults", nil, "VirtualAppliance 10.100.1.4"},
		{"its parameters file", []string{"--parameters", routeParams}, "VirtualAppliance 10.100.3.4"},
		{"an override over the file", []string{"--parameters", routeParams, "--parameter", "nextHopIpAddress=10.100.1.5"}, "VirtualAppliance 10.100.1.5"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := nextHop(tc.extra...); got != tc.want {
				t.Errorf("default route %q, want %q", got, tc.want)
			}
		})
	}
}

func TestTemplateAloneWithItsAssumptions(t *testing.T) {
	dir := t.TempDir()
	tmpl := filepath.Join(dir, "azuredeploy.json")
	os.WriteFile(tmpl, []byte(`{"resources": [
	  {"type": "Microsoft.Network/virtualNetworks", "name": "vnet-ml", "location": "westeurope",
	   "properties": {"addressSpace": {"addressPrefixes": ["10.0.0.0/16"]}, "subnets": [{"name": "snet-a", "properties": {"addressPrefix": "10.0.1.0/24"}}]}},
	  {"type": "Microsoft.Network/networkInterfaces", "name": "nic-vm", "location": "westeurope",
	   "properties": {"ipConfigurations": [{"name": "c", "properties": {"privateIPAllocationMethod": "Dynamic",
	     "subnet": {"id": "[resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet-ml', 'snet-a')]"}}}]}},
	  {"type": "Microsoft.Compute/virtualMachines", "name": "vm", "location": "westeurope", "properties": {}}
	]}`), 0o600)
	code, v, warnings, skipped := checkJSON(t, "--template", tmpl, "--from", "10.0.1.4", "--to", "10.0.1.5")
	if code == 2 || len(v) != 1 {
		t.Fatalf("exit %d, verdicts %v", code, v)
	}
	if !slices.ContainsFunc(warnings, func(w string) bool {
		return strings.Contains(w, "networkInterfaces/nic-vm: assumed: private IP address 10.0.1.4") && strings.Contains(w, "predicted")
	}) {
		t.Errorf("no assumption about the NIC's address among the warnings:\n%s", strings.Join(warnings, "\n"))
	}
	if skipped["Microsoft.Compute/virtualMachines"] != 1 {
		t.Errorf("skipped %v", skipped)
	}
}

// TestTemplateErrorsLeaveTheResourceMissing: a syntax error in an
// expression and an unsupported function are named with the expression and
// its JSON path; the resources that need them are missing, and the answers
// that depend on them unknown.
func TestTemplateErrorsLeaveTheResourceMissing(t *testing.T) {
	dir := t.TempDir()
	tmpl := filepath.Join(dir, "bad.json")
	os.WriteFile(tmpl, []byte(`{"resources": [
	  {"type": "Microsoft.Network/routeTables", "name": "rt-spoke-ml", "location": "westeurope",
	   "properties": {"routes": [{"name": "r", "properties": {"addressPrefix": "[concat('10.0.0.0/8',]", "nextHopType": "None"}}]}},
	  {"type": "Microsoft.Network/networkSecurityGroups", "name": "nsg-train", "location": "westeurope",
	   "properties": {"securityRules": [{"name": "r", "properties": {"priority": "[frobnicate(100)]", "access": "Deny", "direction": "Outbound",
	     "protocol": "*", "sourceAddressPrefix": "*", "sourcePortRange": "*", "destinationAddressPrefix": "*", "destinationPortRange": "*"}}]}}
	]}`), 0o600)
	code, v, warnings, _ := checkJSON(t, append([]string{"--snapshot", contoso, "--template", tmpl, "--from", "vnet-spoke-ml/snet-train", "--to", "tag:AzureResourceManager"}, contosoScope...)...)
	if code != 1 || !slices.Equal(v, []string{"unknown"}) {
		t.Errorf("exit %d, verdicts %v; want 1 and unknown", code, v)
	}
	all := strings.Join(warnings, "\n")
	for _, want := range []string{
		tmpl + `: $.resources[0].properties.routes[0].properties.addressPrefix: "[concat('10.0.0.0/8',]": syntax error`,
		tmpl + `: $.resources[1].properties.securityRules[0].properties.priority: "[frobnicate(100)]": the template function frobnicate() is not supported`,
		"2 resources the snapshot references or declares are not in it",
	} {
		if !strings.Contains(all, want) {
			t.Errorf("warnings lack %q:\n%s", want, all)
		}
	}
}

func TestPlanOfAnotherProviderIsSkippedAndCounted(t *testing.T) {
	dir := t.TempDir()
	plan := filepath.Join(dir, "plan.json")
	os.WriteFile(plan, []byte(`{"format_version": "1.2", "terraform_version": "1.9.8",
	  "planned_values": {"root_module": {"resources": [
	    {"address": "aws_vpc.main", "mode": "managed", "type": "aws_vpc", "name": "main", "provider_name": "registry.terraform.io/hashicorp/aws",
	     "values": {"cidr_block": "10.0.0.0/16"}},
	    {"address": "aws_subnet.a", "mode": "managed", "type": "aws_subnet", "name": "a", "provider_name": "registry.terraform.io/hashicorp/aws",
	     "values": {"cidr_block": "10.0.1.0/24"}}]}},
	  "resource_changes": [
	    {"address": "aws_vpc.main", "mode": "managed", "type": "aws_vpc", "name": "main", "provider_name": "registry.terraform.io/hashicorp/aws",
	     "change": {"actions": ["create"], "before": null, "after": {"cidr_block": "10.0.0.0/16"}, "after_unknown": {"id": true}}},
	    {"address": "aws_subnet.a", "mode": "managed", "type": "aws_subnet", "name": "a", "provider_name": "registry.terraform.io/hashicorp/aws",
	     "change": {"actions": ["create"], "before": null, "after": {"cidr_block": "10.0.1.0/24"}, "after_unknown": {"id": true}}}]}`), 0o600)
	code, v, _, skipped := checkJSON(t, "--snapshot", contoso, "--plan", plan, "--from", "vnet-spoke-ml/snet-train", "--to", "login.microsoftonline.com")
	if code != 0 || !slices.Equal(v, []string{"reachable"}) {
		t.Errorf("exit %d, verdicts %v: the plan changes nothing vnetpath models", code, v)
	}
	if skipped["aws_vpc"] != 1 || skipped["aws_subnet"] != 1 {
		t.Errorf("skipped %v, want the AWS resources counted", skipped)
	}
	// Alone, such a plan holds no virtual network: an input error.
	if code, _, errs := runCLI("check", "--plan", plan); code != 2 || !strings.Contains(errs, "holds no virtual network") {
		t.Errorf("plan alone: exit %d, stderr %s", code, errs)
	}
}

func TestChangeFlagUsageErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"parameters before any template", []string{"check", "--snapshot", contoso, "--parameters", "p.json", "--template", "t.json"},
			`vnetpath check: --parameters "p.json": give it after the --template it is for (--parameters follows its template)`},
		{"parameter after a plan", []string{"check", "--plan", "plan.json", "--parameter", "a=b"},
			`vnetpath check: --parameter "a=b": give it after the --template it is for (--parameter follows its template)`},
		{"parameter without a value", []string{"check", "--template", "t.json", "--parameter", "vnetName"},
			`vnetpath check: --parameter "vnetName": want NAME=VALUE`},
		{"two parameters files", []string{"check", "--template", "t.json", "--parameters", "a.json", "--parameters", "b.json"},
			`vnetpath check: --parameters "b.json": a template takes one parameters file; give --template again for another template`},
		{"standard input twice", []string{"check", "--snapshot", "-", "--plan", "-"},
			"vnetpath check: --snapshot - and --plan - both read standard input; give one of them a file"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errs := runCLI(tc.args...)
			first, _, _ := strings.Cut(errs, "\n")
			if code != 2 || out != "" || first != tc.want {
				t.Errorf("exit %d, stdout %q, stderr:\n%s\nwant 2 and %s", code, out, errs, tc.want)
			}
		})
	}
	// A file that is not there is an input error naming it.
	if code, _, errs := runCLI("check", "--snapshot", contoso, "--template", filepath.Join(t.TempDir(), "none.json")); code != 2 || !strings.Contains(errs, "none.json: no such file or directory") {
		t.Errorf("missing template: exit %d, %s", code, errs)
	}
}

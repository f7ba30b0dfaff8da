package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/vnetpath/vnetpath/azure"
	"github.com/vnetpath/vnetpath/azure/armtemplate"
	"github.com/vnetpath/vnetpath/azure/tfplan"
)

// changeFlags are the flags that give a change not yet deployed: ARM
// deployment templates (each with its own parameters, in order) and
// Terraform plans, and the scope templates are deployed to.
type changeFlags struct {
	list          []changeArg // in command-line order
	subscription  string
	resourceGroup string
	location      string
}

// changeArg is one --template (with the --parameters and --parameter
// flags that follow it) or --plan.
type changeArg struct {
	kind      azure.ChangeKind
	file      string
	params    string
	overrides []string
}

// changeValue is the flag.Value of --template, --plan, --parameters and
// --parameter: each acts on the list of changes in order.
type changeValue struct {
	c   *changeFlags
	set func(c *changeFlags, v string) error
}

func (v changeValue) String() string { return "" }

func (v changeValue) Set(s string) error { return v.set(v.c, s) }

func (c *changeFlags) register(fs *flagSet) {
	fs.Var(changeValue{c, func(c *changeFlags, v string) error {
		c.list = append(c.list, changeArg{kind: azure.ChangeTemplate, file: v})
		return nil
	}}, "template", "ARM deployment template `FILE` to apply on top of the snapshot, before it is deployed (repeatable, in order)")
	fs.Var(changeValue{c, func(c *changeFlags, v string) error {
		t, err := c.lastTemplate("--parameters")
		if err != nil {
			return err
		}
		if t.params != "" {
			return errors.New("a template takes one parameters file; give --template again for another template")
		}
		t.params = v
		return nil
	}}, "parameters", "parameters `FILE` of the --template before it")
	fs.Var(changeValue{c, func(c *changeFlags, v string) error {
		t, err := c.lastTemplate("--parameter")
		if err != nil {
			return err
		}
		if name, _, ok := strings.Cut(v, "="); !ok || strings.TrimSpace(name) == "" {
			return errors.New("want NAME=VALUE")
		}
		t.overrides = append(t.overrides, v)
		return nil
	}}, "parameter", "`NAME=VALUE` for a parameter of the --template before it, over its parameters file (repeatable)")
	fs.Var(changeValue{c, func(c *changeFlags, v string) error {
		c.list = append(c.list, changeArg{kind: azure.ChangePlan, file: v})
		return nil
	}}, "plan", "Terraform plan `FILE` (terraform show -json PLANFILE), or - for standard input, to apply on top of the snapshot (repeatable)")
	fs.StringVar(&c.subscription, "subscription", "", "subscription `ID` templates deploy to (default "+armtemplate.DefaultSubscriptionID+
		"); for plans, the subscription of the IDs they leave unknown (default: the one their known IDs name most)")
	fs.StringVar(&c.resourceGroup, "resource-group", armtemplate.DefaultResourceGroup, "resource group `NAME` templates deploy to")
	fs.StringVar(&c.location, "location", armtemplate.DefaultLocation, "`LOCATION` of the templates' resource group")
}

// lastTemplate returns the template the parameter flag called name
// belongs to: the last one given.
func (c *changeFlags) lastTemplate(name string) (*changeArg, error) {
	if len(c.list) == 0 || c.list[len(c.list)-1].kind != azure.ChangeTemplate {
		return nil, fmt.Errorf("give it after the --template it is for (%s follows its template)", name)
	}
	return &c.list[len(c.list)-1], nil
}

// given reports whether any template or plan was given.
func (c *changeFlags) given() bool { return len(c.list) > 0 }

// readsStdin reports whether a plan is read from standard input.
func (c *changeFlags) readsStdin() bool {
	for _, a := range c.list {
		if a.kind == azure.ChangePlan && a.file == "-" {
			return true
		}
	}
	return false
}

// evaluate reads and evaluates the templates and plans in order. An
// evaluator's errors about single resources (an unsupported function, a
// malformed expression) come back as warnings: the resources they concern
// are declared missing, so that the answers that depend on them are
// unknown. A file that cannot be read or evaluated at all is an error.
func (c *changeFlags) evaluate(stdin io.Reader) ([]azure.Change, []string, error) {
	var out []azure.Change
	var warnings []string
	for _, a := range c.list {
		name := a.file
		var data []byte
		var err error
		if a.kind == azure.ChangePlan && a.file == "-" {
			name = stdinName
			data, err = io.ReadAll(io.LimitReader(stdin, azure.DefaultMaxFileBytes+1))
		} else {
			data, err = readInput(a.file)
		}
		if err != nil {
			return nil, nil, err
		}
		switch a.kind {
		case azure.ChangeTemplate:
			opts := armtemplate.Options{Name: a.file, Overrides: a.overrides,
				SubscriptionID: c.subscription, ResourceGroup: c.resourceGroup, Location: c.location}
			if a.params != "" {
				if opts.Parameters, err = readInput(a.params); err != nil {
					return nil, nil, err
				}
				opts.ParametersName = a.params
			}
			res, err := armtemplate.Evaluate(data, opts)
			if res == nil {
				return nil, nil, err
			}
			warnings = append(warnings, lines(err)...)
			out = append(out, azure.Change{Name: name, Kind: azure.ChangeTemplate, Result: res})
		case azure.ChangePlan:
			res, err := tfplan.Evaluate(data, tfplan.Options{Name: name, SubscriptionID: c.subscription})
			if res == nil {
				return nil, nil, err
			}
			warnings = append(warnings, lines(err)...)
			out = append(out, azure.Change{Name: name, Kind: azure.ChangePlan, Result: &res.Result})
		}
	}
	return out, warnings, nil
}

// scopeWarning warns when templates were evaluated in the default
// subscription on top of a snapshot: their resources then are new ones
// beside the snapshot's, rarely what was meant.
func (c *changeFlags) scopeWarning(changes []azure.Change, snapshot bool) []string {
	if !snapshot || c.subscription != "" {
		return nil
	}
	var out []string
	for _, ch := range changes {
		if ch.Kind != azure.ChangeTemplate || ch.Result == nil || len(ch.Result.Resources) == 0 {
			continue
		}
		if strings.HasPrefix(strings.ToLower(ch.Result.Resources[0].ID), "/subscriptions/"+armtemplate.DefaultSubscriptionID+"/") {
			out = append(out, fmt.Sprintf("%s: evaluated in subscription %s, resource group %s (the defaults): give --subscription and --resource-group of the resource group it deploys to, or its resources are new ones beside the snapshot's",
				ch.Name, armtemplate.DefaultSubscriptionID, c.resourceGroup))
		}
	}
	return out
}

// readInput reads a template, parameters or plan file, refusing one larger
// than the snapshot file limit.
func readInput(name string) ([]byte, error) {
	st, err := os.Stat(name)
	if err != nil {
		return nil, err
	}
	if st.IsDir() {
		return nil, fmt.Errorf("%s is a directory, not a file", name)
	}
	if st.Size() > azure.DefaultMaxFileBytes {
		return nil, fmt.Errorf("%s: file is %d bytes, larger than the limit of %d bytes", name, st.Size(), int64(azure.DefaultMaxFileBytes))
	}
	return os.ReadFile(name)
}

// lines splits an error, joined or multi-line, into one string per line.
func lines(err error) []string {
	if err == nil {
		return nil
	}
	var out []string
	for _, l := range strings.Split(err.Error(), "\n") {
		if strings.TrimSpace(l) != "" {
			out = append(out, l)
		}
	}
	return out
}

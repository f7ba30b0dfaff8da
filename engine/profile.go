package engine

import (
	"fmt"
	"strings"

	"github.com/vnetpath/vnetpath/topology"
)

// WorkspaceFQDN is a name an Azure ML workspace serves, with what it is for.
type WorkspaceFQDN struct {
	FQDN    string
	Purpose string
}

// WorkspaceFQDNs derives the names of an Azure ML workspace in the public
// cloud (reference §6.1): the workspace API, its cert name, the notebooks
// name in both forms (with and without the region label; the workspace name
// is truncated so the first label fits 63 characters) and the inference
// wildcard of managed online endpoints. A workspace without a workspaceId
// has none.
func WorkspaceFQDNs(w *topology.Workspace) []WorkspaceFQDN {
	id := strings.ToLower(strings.TrimSpace(w.WorkspaceID))
	region := strings.ToLower(strings.ReplaceAll(w.Location, " ", ""))
	if id == "" || region == "" {
		return nil
	}
	return []WorkspaceFQDN{
		{fmt.Sprintf("%s.workspace.%s.api.azureml.ms", id, region), "Azure ML workspace API"},
		{fmt.Sprintf("%s.workspace.%s.cert.api.azureml.ms", id, region), "Azure ML workspace API (cert)"},
		{fmt.Sprintf("%s.%s.notebooks.azure.net", notebooksLabel(w.Name, region, id), region), "Azure ML notebooks"},
		{fmt.Sprintf("%s.notebooks.azure.net", notebooksLabel(w.Name, region, id)), "Azure ML notebooks (older name form)"},
		{fmt.Sprintf("*.%s.inference.ml.azure.com", region), "Azure ML managed online endpoints"},
	}
}

// notebooksLabel is "ml-<name>-<region>-<guid>", the workspace name cut so
// the label is at most 63 characters.
func notebooksLabel(name, region, id string) string {
	name = strings.ToLower(name)
	room := 63 - len("ml-") - len(region) - len(id) - 2
	if room < 0 {
		room = 0
	}
	if len(name) > room {
		name = name[:room]
	}
	return "ml-" + name + "-" + region + "-" + id
}

// ProfileEntry is one endpoint an Azure ML workspace needs to be reachable
// from its clients and compute.
type ProfileEntry struct {
	To       string
	Protocol Protocol
	Port     int
	Purpose  string
}

// MLProfile returns what clients and compute of workspace w must reach
// (SPEC §4, reference §6.2 and §6.3): Entra ID and ARM (which the private
// endpoint does not cover), the workspace's own names, and the service tags
// Azure ML compute always needs, with their ports. The notebooks name is the
// form its private endpoint lists, else the regional form.
func (e *Engine) MLProfile(w *topology.Workspace) []ProfileEntry {
	region := strings.ToLower(strings.ReplaceAll(w.Location, " ", ""))
	out := []ProfileEntry{
		{"login.microsoftonline.com", TCP, 443, "Entra ID sign-in"},
		{"management.azure.com", TCP, 443, "Azure Resource Manager (workspace and compute management)"},
	}
	fq := WorkspaceFQDNs(w)
	if len(fq) >= 5 {
		out = append(out,
			ProfileEntry{fq[0].FQDN, TCP, 443, fq[0].Purpose},
			ProfileEntry{fq[1].FQDN, TCP, 443, fq[1].Purpose})
		nb := fq[2]
		if _, ok := e.endpointFor(fq[3].FQDN); ok {
			if _, ok2 := e.endpointFor(fq[2].FQDN); !ok2 {
				nb = fq[3]
			}
		}
		out = append(out, ProfileEntry{nb.FQDN, TCP, 443, nb.Purpose})
		out = append(out, ProfileEntry{"endpoint." + region + ".inference.ml.azure.com", TCP, 443, fq[4].Purpose + " (" + fq[4].FQDN + ")"})
	}
	out = append(out,
		ProfileEntry{"tag:AzureMachineLearning", TCP, 443, "Azure ML service"},
		ProfileEntry{"tag:AzureMachineLearning", UDP, 5831, "Azure ML compute instance create, update and delete"},
		ProfileEntry{"tag:AzureMachineLearning", TCP, 8787, "RStudio on compute instances"},
		ProfileEntry{"tag:AzureMachineLearning", TCP, 18881, "notebook IntelliSense on compute instances"},
		ProfileEntry{"tag:BatchNodeManagement." + region, TCP, 443, "Azure Batch backend of compute instances and clusters"},
		ProfileEntry{"tag:Storage." + region, TCP, 443, "Azure Storage of the region (default storage, Batch)"},
		ProfileEntry{"tag:MicrosoftContainerRegistry", TCP, 443, "Microsoft container images (mcr.microsoft.com)"},
		ProfileEntry{"tag:AzureFrontDoor.FirstParty", TCP, 443, "Microsoft container image data (*.data.mcr.microsoft.com)"},
		ProfileEntry{"tag:AzureFrontDoor.Frontend", TCP, 443, "Azure ML studio (ml.azure.com) and AutoML assets"},
		ProfileEntry{"tag:AzureMonitor", TCP, 443, "metrics, logs and diagnostics"},
	)
	return out
}

// ProfileQueries returns the Azure ML profile checks of every workspace for
// each source (SPEC §4: `check` without --to). With no sources it uses
// every workload subnet.
func (e *Engine) ProfileQueries(from []string) ([]Query, error) {
	var ws []*topology.Workspace
	for w := range e.snap.Workspaces() {
		ws = append(ws, w)
	}
	if len(ws) == 0 {
		return nil, ErrNoWorkspace
	}
	if len(from) == 0 {
		for _, sn := range e.WorkloadSubnets() {
			from = append(from, sn.ID)
		}
	}
	var out []Query
	for _, w := range ws {
		entries := e.MLProfile(w)
		for _, f := range from {
			for _, en := range entries {
				out = append(out, Query{From: f, To: en.To, Protocol: en.Protocol, Port: en.Port, Purpose: en.Purpose, Workspace: w.ID})
			}
		}
	}
	return out, nil
}

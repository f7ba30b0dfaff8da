package servicetags

// MiniJSON is a small download-shaped catalog for the external tests.
const MiniJSON = `{
  "changeNumber": 7,
  "cloud": "Public",
  "values": [
    {"name": "AzureCloud", "id": "AzureCloud", "properties": {"changeNumber": 3, "region": "", "regionId": 0, "platform": "Azure", "systemService": "",
      "addressPrefixes": ["20.0.0.0/8", "2603:1000::/24"], "networkFeatures": ["API", "NSG"]}},
    {"name": "AzureCloud.eastus", "id": "AzureCloud.eastus", "properties": {"changeNumber": 2, "region": "eastus", "systemService": "",
      "addressPrefixes": ["20.1.0.0/16", "2603:1030::/32"], "networkFeatures": ["API", "NSG"]}},
    {"name": "AzureCloud.westus", "id": "AzureCloud.westus", "properties": {"changeNumber": 1, "region": "westus", "systemService": "",
      "addressPrefixes": ["20.2.0.0/16"], "networkFeatures": ["API", "NSG"]}},
    {"name": "Storage.EastUS", "id": "Storage.EastUS", "properties": {"changeNumber": 5, "region": "eastus", "systemService": "AzureStorage",
      "addressPrefixes": ["20.1.4.0/24", "2603:1030:4::/48"], "networkFeatures": ["API", "NSG", "UDR", "FW"]}},
    {"name": "Storage.WestUS", "id": "Storage.WestUS", "properties": {"changeNumber": 4, "region": "westus", "systemService": "AzureStorage",
      "addressPrefixes": ["20.2.8.0/24", "20.2.9.0/24"], "networkFeatures": ["API", "NSG", "UDR", "FW"]}},
    {"name": "AzureActiveDirectory", "id": "AzureActiveDirectory", "properties": {"changeNumber": 9, "region": "", "systemService": "AzureAD",
      "addressPrefixes": ["20.1.4.128/25", "40.126.0.0/18"], "networkFeatures": ["API", "NSG", "UDR", "FW", "VSE"]}},
    {"name": "AzureMachineLearning", "id": "AzureMachineLearning", "properties": {"changeNumber": 6, "region": "", "systemService": "AzureMachineLearning",
      "addressPrefixes": ["20.1.5.0/24"], "networkFeatures": ["API", "NSG", "UDR", "FW"]}},
    {"name": "AzureMachineLearning.EastUS", "id": "AzureMachineLearning.EastUS", "properties": {"changeNumber": 1, "region": "eastus", "systemService": "AzureMachineLearning",
      "addressPrefixes": ["20.1.5.0/26"], "networkFeatures": null}},
    {"name": "AzureFrontDoor.Frontend", "id": "AzureFrontDoor.Frontend", "properties": {"changeNumber": 2, "region": "", "systemService": "",
      "addressPrefixes": ["13.107.246.0/24"], "networkFeatures": ["API", "NSG", "UDR", "FW"]}},
    {"name": "LegacyThing", "id": "LegacyThing", "properties": {"changeNumber": 1, "region": "", "systemService": "Legacy",
      "addressPrefixes": ["13.107.247.0/24"], "networkFeatures": null}}
  ]
}`

// PublicNames is the embedded catalog of the public cloud's tag names.
var PublicNames = publicNames

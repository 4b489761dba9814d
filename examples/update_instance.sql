-- update_resource: an RFC 6902 JSON Patch over the instance's CloudFormation model.
-- Turn Contact Lens off and add a tag.
UPDATE aws.connect.instance
SET data__PatchDocument = string('[
  {"op": "replace", "path": "/Attributes/ContactLens", "value": false},
  {"op": "add", "path": "/Tags/-", "value": {"Key": "owner", "Value": "platform-team"}}
]')
WHERE region = 'us-east-1' AND data__Identifier = 'acme-support';

-- The next SELECT shows the truth (the session cache entry was dropped).
SELECT instance_alias, json_extract(attributes, '$.ContactLens') AS contact_lens, tags
FROM aws.connect.instance
WHERE region = 'us-east-1' AND data__Identifier = 'acme-support';

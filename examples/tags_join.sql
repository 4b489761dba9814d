-- Tags as rows: json_each over the Key/Value array.
SELECT i.region, i.instance_alias, t.value ->> '$.Key' AS tag, t.value ->> '$.Value' AS value
FROM aws.connect.instances i, json_each(i.tags) t
WHERE i.region IN ('us-east-1', 'eu-west-2')
ORDER BY i.instance_alias, tag;

-- JOIN between the two resources: the listing and one described instance.
SELECT l.instance_alias, l.instance_status, g.tags
FROM aws.connect.instances l
JOIN aws.connect.instance g ON g.id = l.id
WHERE l.region = 'us-east-1' AND g.region = 'us-east-1' AND g.data__Identifier = 'acme-sales';

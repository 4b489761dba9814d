-- Which phone number reaches which flow.
SELECT p.address, p.type, f.name AS flow
FROM aws.connect.phone_numbers p
LEFT JOIN aws.connect.contact_flows f ON f.contact_flow_arn = p.contact_flow_arn
WHERE p.region = 'us-east-1' AND p.data__InstanceId = 'acme-support'
ORDER BY p.address;

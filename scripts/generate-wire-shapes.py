#!/usr/bin/env python3
"""Generate the Swift wire shapes of a service from its botocore model (ECR, CloudTrail, IAM).

The botocore model installed on this machine is the specification of a service's wire: its
protocol metadata (`<P>Service`), every operation (`<P>Operation`) and the errors each may answer,
every error code (`<P>ErrorCode`), and the shapes of the operations LabCheck and the fake use:
names, required members, enums and constraints (`<P>Constraints`). Run after upgrading botocore:

    python3 scripts/generate-wire-shapes.py ecr Sources/ECRWire/ECR
    python3 scripts/generate-wire-shapes.py cloudtrail Sources/ECRWire/CloudTrail
    python3 scripts/generate-wire-shapes.py iam Sources/ECRWire/IAM

Each part goes to a file of its own in the folder: `<P>Enums.swift`, `<P>Shapes.swift` (the structures that are
neither an operation's request nor its response), `<P>Requests.swift`, `<P>Responses.swift`, `<P>Writers.swift`
(JSON services: how each structure writes its JSON, ECRWire's `JSONWritable`), `<P>Constraints.swift`,
`<P>Service.swift` (service, operations, error codes) and `<P>QueryShapes.swift`; a part longer than MAX_LINES is
cut between declarations into files named by the initials they span (`ECRShapes+A-I.swift`); a service whose
whole output is that short is one `<P>Shapes.swift`. Files of the service the script made before and does not
make now are removed, so the folder holds exactly what the model gives.

A query-protocol service (IAM) also gets `<P>QueryShapes.schema`: how each shape is written as form parameters
and read from XML (AWSCore's `QueryCoding`), and its error codes are the wire codes (`NoSuchEntity`) with their
HTTP statuses.
"""
import os
import re
import sys
import botocore
import botocore.session

ECR_OPERATIONS = [
    "CreateRepository", "DescribeRepositories", "DeleteRepository", "ListImages", "DescribeImages",
    "BatchGetImage", "BatchDeleteImage", "PutImage", "GetAuthorizationToken",
    "CreatePullThroughCacheRule", "DescribePullThroughCacheRules", "DeletePullThroughCacheRule",
    "UpdatePullThroughCacheRule", "ValidatePullThroughCacheRule", "PutImageTagMutability",
    "PutImageScanningConfiguration", "PutLifecyclePolicy", "GetLifecyclePolicy", "DeleteLifecyclePolicy",
    "SetRepositoryPolicy", "GetRepositoryPolicy", "DeleteRepositoryPolicy", "TagResource", "UntagResource",
    "ListTagsForResource", "DescribeRegistry", "BatchCheckLayerAvailability", "InitiateLayerUpload",
    "UploadLayerPart", "CompleteLayerUpload", "GetDownloadUrlForLayer",
    "PutAccountSetting", "GetAccountSetting", "ListImageReferrers", "PutRegistryPolicy", "GetRegistryPolicy",
    "DeleteRegistryPolicy", "PutReplicationConfiguration", "StartImageScan", "DescribeImageScanFindings",
    "GetRegistryScanningConfiguration", "PutRegistryScanningConfiguration", "BatchGetRepositoryScanningConfiguration",
    "StartLifecyclePolicyPreview", "GetLifecyclePolicyPreview", "DescribeImageReplicationStatus",
]
IAM_OPERATIONS = [
    "CreateUser", "GetUser", "ListUsers", "DeleteUser",
    "CreateRole", "GetRole", "ListRoles", "DeleteRole", "UpdateAssumeRolePolicy",
    "CreateAccessKey", "ListAccessKeys", "DeleteAccessKey",
    "PutUserPolicy", "GetUserPolicy", "ListUserPolicies", "DeleteUserPolicy",
    "PutRolePolicy", "GetRolePolicy", "ListRolePolicies", "DeleteRolePolicy",
    "CreatePolicy", "GetPolicy", "GetPolicyVersion", "ListPolicies", "DeletePolicy",
    "AttachUserPolicy", "DetachUserPolicy", "ListAttachedUserPolicies",
    "AttachRolePolicy", "DetachRolePolicy", "ListAttachedRolePolicies",
    "SimulatePrincipalPolicy", "SimulateCustomPolicy",
]
# service: (model name, Swift prefix, operations whose shapes are generated, shape renames,
#           whether `<P>Operation` and `<P>ErrorCode` list the whole model or only those operations and their errors)
SERVICES = {
    # The whole model: the fake answers each operation it does not serve as unknown, by name.
    "ecr": ("ecr", "ECR", ECR_OPERATIONS, {}, True),
    # CloudTrail's `Event`/`Resource` would read as anything's in a module that also holds ECR's shapes.
    "cloudtrail": ("cloudtrail", "CloudTrail", ["LookupEvents"], {"Event": "TrailEvent", "Resource": "TrailResource"}, False),
    # IAM's `Tag` would clash with ECR's in the same module.
    "iam": ("iam", "IAM", IAM_OPERATIONS, {"Tag": "IAMTag"}, False),
}
if len(sys.argv) != 3 or sys.argv[1] not in SERVICES:
    sys.exit("usage: generate-wire-shapes.py " + "|".join(SERVICES) + " OUTPUT-FOLDER")
SERVICE, PREFIX, OPERATIONS, RENAMES, WHOLE_MODEL = SERVICES[sys.argv[1]]
SWIFT_KEYWORDS = {"default", "protocol", "extension", "operator", "repeat", "internal", "where", "self", "Type"}

model = botocore.session.get_session().get_service_model(SERVICE)
QUERY = model.metadata["protocol"] == "query"
structures, enums, constraints = {}, {}, {}


def lower_camel(name):
    if name.isupper():
        return name.lower()
    return name[0].lower() + name[1:]


def shape_name(shape):
    return RENAMES.get(shape.name, shape.name)


def swift_type(shape):
    t = shape.type_name
    if t == "string":
        if getattr(shape, "enum", None):
            enums[shape_name(shape)] = shape
            return shape_name(shape)
        return "String"
    if t == "blob":
        return "String"  # base64 text on the JSON wire
    if t == "integer":
        return "Int"
    if t == "long":
        return "Int64"
    if t == "boolean":
        return "Bool"
    if t == "double":
        return "Double"
    if t == "float":
        return "Float"
    if t == "timestamp":
        return "Date"
    if t == "list":
        return "[" + swift_type(shape.member) + "]"
    if t == "map":
        return "[" + swift_type(shape.key) + ": " + swift_type(shape.value) + "]"
    if t == "structure":
        if shape_name(shape) not in structures:
            structures[shape_name(shape)] = shape
            for member in shape.members.values():
                swift_type(member)
        return shape_name(shape)
    raise ValueError(t)


for op in OPERATIONS:
    om = model.operation_model(op)
    for shape in (om.input_shape, om.output_shape):
        if shape is not None:
            swift_type(shape)

# Each part of the output is a list of declarations, (name, lines); `w` adds a line to the current one.
sections = {}


def section(name, declaration=""):
    global w
    lines = []
    sections.setdefault(name, []).append((declaration, lines))
    w = lines.append


for name in sorted(enums):
    section("Enums", name)
    shape = enums[name]
    w(f"public struct {name}: WireEnum {{")
    w("    public let rawValue: String")
    w("    public init(rawValue: String) { self.rawValue = rawValue }")
    idents = []
    for value in shape.enum:
        ident = re.sub(r"[^A-Za-z0-9]+", "_", value).strip("_")
        parts = ident.split("_")
        ident = parts[0].lower() + "".join(p[:1].upper() + p[1:].lower() for p in parts[1:]) if (ident.isupper() or "_" in ident) else lower_camel(ident)
        ident = ident.replace("-", "")
        if ident in SWIFT_KEYWORDS or ident[0].isdigit():
            ident = f"`{ident}`" if ident in SWIFT_KEYWORDS else "v" + ident
        idents.append(ident)
        w(f'    public static let {ident}: Self = "{value}"')
    w(f"    public static let knownValues: [Self] = [{', '.join('.' + i for i in idents)}]")
    w("}")
    w("")

for name in sorted(structures):
    section("Requests" if name.endswith("Request") else "Responses" if name.endswith("Response") else "Shapes", name)
    shape = structures[name]
    required = set(shape.required_members)
    doc = shape.documentation and re.sub(r"<[^>]+>", "", shape.documentation).strip().split(". ")[0]
    if doc:
        w(f"/// {doc[:160].strip()}{'.' if not doc.endswith('.') else ''}")
    w(f"public struct {name}: Codable, Hashable, Sendable {{")
    members = []
    for mname, mshape in shape.members.items():
        prop = lower_camel(mname)
        if prop in SWIFT_KEYWORDS:
            prop = f"`{prop}`"
        typ = swift_type(mshape)
        opt = mname not in required
        members.append((mname, prop, typ, opt, mshape))
    for mname, prop, typ, opt, mshape in members:
        meta = {k: v for k, v in mshape.metadata.items() if k in ("min", "max", "pattern")}
        if meta:
            constraints[(name, mname)] = meta
        w(f"    public var {prop}: {typ}{'?' if opt else ''}")
    params = ", ".join(f"{p.strip('`')}: {t}{'? = nil' if o else ''}" for _, p, t, o, _ in members)
    w(f"    public init({params}) {{")
    for _, p, _, _, _ in members:
        w(f"        self.{p} = {p.strip('`')}")
    w("    }")
    if any(m != p.strip("`") for m, p, *_ in members):
        w("    enum CodingKeys: String, CodingKey {")
        for m, p, *_ in members:
            w(f'        case {p} = "{m}"' if m != p.strip("`") else f"        case {p}")
        w("    }")
    w("}")
    w("")

# JSON services: each structure writes its own JSON (ECRWire's `JSONWritable`), the bytes its synthesized
# `Encodable` gives through StreamingJSONEncoder: members in declaration order by their wire names, an
# absent optional member left out.
if not QUERY:
    for name in sorted(structures):
        section("Writers", name)
        w(f"extension {name}: JSONWritable {{")
        w("    public func writeJSON(to json: inout JSONWriter) {")
        w("        json.beginObject()")
        for mname in structures[name].members:
            if not re.fullmatch(r"[A-Za-z0-9_]+", mname):
                raise ValueError(f"{name}.{mname}: a member name JSONWriter would have to escape")
            prop = lower_camel(mname)
            w(f'        json.member("{mname}", {"self." if prop in SWIFT_KEYWORDS else ""}{prop})')
        w("        json.endObject()")
        w("    }")
        w("}")
        w("")
    section("Writers", f"{PREFIX}WritableShapes")  # last: the list of the structures above, for the tests that write each both ways
    w(f"/// Every {PREFIX} structure that writes its own JSON (tests compare each with its `Encodable` form).")
    w(f"enum {PREFIX}WritableShapes {{")
    w("    static var all: [any (JSONWritable & Codable).Type] { [")
    names = sorted(structures)
    for start in range(0, len(names), 6):
        w("        " + " ".join(f"{n}.self," for n in names[start:start + 6]))
    w("    ] }")
    w("}")
    w("")

section("Constraints")
w("/// Length and pattern constraints of the botocore model, for validation in the fake.")
w(f"public enum {PREFIX}Constraints {{")
seen = {}
for (sname, mname), meta in sorted(constraints.items()):
    key = mname
    if key in seen and seen[key] != meta:
        key = sname + "_" + mname
    seen[key] = meta
for mname, meta in sorted(seen.items()):
    args = []
    args.append(f"min: {meta['min']}" if "min" in meta else "min: nil")
    args.append(f"max: {meta['max']}" if "max" in meta else "max: nil")
    args.append("pattern: " + ('#"' + meta["pattern"] + '"#' if "pattern" in meta else "nil"))
    w(f"    public static let {lower_camel(mname)} = WireConstraint({', '.join(args)})")
w("}")
w("")


def error_ident(name):
    base = name[: -len("Exception")] if name.endswith("Exception") and name != "Exception" else name
    return lower_camel(base)


all_operations = sorted(model.operation_names) if WHOLE_MODEL else sorted(OPERATIONS)
all_errors = sorted({e.name for op in all_operations for e in model.operation_model(op).error_shapes})
meta = model.metadata
section("Service")
w("/// The protocol metadata of the service.")
w(f"public enum {PREFIX}Service {{")
w(f'    public static let serviceId = "{meta["serviceId"]}"')
w(f'    public static let apiVersion = "{meta["apiVersion"]}"')
w(f'    public static let signingName = "{meta.get("signingName", meta["endpointPrefix"])}"')
w(f'    public static let endpointPrefix = "{meta["endpointPrefix"]}"')
if QUERY:
    w(f'    public static let protocolName = "{meta["protocol"]}"')
    w("    /// The XML namespace of every answer.")
    w(f'    public static let xmlNamespace = "{meta["xmlNamespace"]}"')
    if "globalEndpoint" in meta:
        w("    /// The one endpoint of this global service (signed for us-east-1).")
        w(f'    public static let globalEndpoint = "{meta["globalEndpoint"]}"')
else:
    w(f'    public static let jsonVersion = "{meta["jsonVersion"]}"')
    w("    /// The `X-Amz-Target` header is `<targetPrefix>.<operation>`.")
    w(f'    public static let targetPrefix = "{meta["targetPrefix"]}"')
w("}")
w("")
if WHOLE_MODEL:
    w("/// Every operation of the model (the request and response shapes are generated for the operations LabCheck and the fake use).")
else:
    w("/// The operations of the model LabCheck and the fake use (the model has more; the fake answers those as unknown).")
w(f"public enum {PREFIX}Operation: String, CaseIterable, Sendable {{")
for op in all_operations:
    w(f'    case {lower_camel(op)} = "{op}"')
w("")
if QUERY:
    w("    /// The shape of the request's form parameters (a key of the query schema).")
    w("    public var inputShape: String? {")
    w("        switch self {")
    for op in all_operations:
        shape = model.operation_model(op).input_shape
        w(f"        case .{lower_camel(op)}: return {chr(34) + shape_name(shape) + chr(34) if shape is not None else 'nil'}")
    w("        }")
    w("    }")
    w("")
    w("    /// The shape of the answer's `<Operation>Result` element; nil when the answer carries none.")
    w("    public var outputShape: String? {")
    w("        switch self {")
    for op in all_operations:
        shape = model.operation_model(op).output_shape
        w(f"        case .{lower_camel(op)}: return {chr(34) + shape_name(shape) + chr(34) if shape is not None else 'nil'}")
    w("        }")
    w("    }")
    w("")
    w("    /// `<Operation>Response`, the root of an answer.")
    w('    public var responseElement: String { rawValue + "Response" }')
    w("    /// `<Operation>Result`, the element holding an answer's result.")
    w('    public var resultElement: String { rawValue + "Result" }')
    w("")
else:
    w("    /// The `X-Amz-Target` header value of this operation.")
    w(f'    public var target: String {{ {PREFIX}Service.targetPrefix + "." + rawValue }}')
    w("")
    w("    /// The operation an `X-Amz-Target` header names; nil when it names none of this model.")
    w("    public init?(target: String) {")
    w(f"        guard let name = AmzTarget.operationName(in: target, prefix: {PREFIX}Service.targetPrefix) else {{ return nil }}")
    w("        self.init(rawValue: name)")
    w("    }")
    w("")
w("    /// The errors the model says this operation may answer.")
w(f"    public var errors: [{PREFIX}ErrorCode] {{")
w("        switch self {")
for op in all_operations:
    errs = ", ".join("." + error_ident(e.name) for e in model.operation_model(op).error_shapes)
    w(f"        case .{lower_camel(op)}: return [{errs}]")
w("        }")
w("    }")
w("}")
w("")
if QUERY:
    w(f"/// An error code (`<Error><Code>`) of {model.metadata['serviceId']}. The model's error shapes are below; codes of the query protocol")
    w(f"/// and of authentication, which the model does not list, are in {PREFIX}ErrorCode+Protocol.swift.")
else:
    w(f"/// An error code (`__type`) of {model.metadata['serviceId']}. The model's error shapes are below; codes of the JSON protocol")
    w(f"/// and of authentication, which the model does not list, are in {PREFIX}ErrorCode+Protocol.swift.")
w(f"public struct {PREFIX}ErrorCode: RawRepresentable, Hashable, Sendable, CustomStringConvertible {{")
w("    public let rawValue: String")
w("    public init(rawValue: String) { self.rawValue = rawValue }")
w("    public var description: String { rawValue }")
w("")
def wire_code(name):
    return model.shape_for(name).metadata.get("error", {}).get("code", name) if QUERY else name


for e in all_errors:
    w(f'    public static let {error_ident(e)} = {PREFIX}ErrorCode(rawValue: "{wire_code(e)}")')
w("")
if QUERY:
    w("    /// The HTTP status the model gives each error shape.")
    w(f"    public static let httpStatuses: [{PREFIX}ErrorCode: Int] = [")
    for e in all_errors:
        w(f"        .{error_ident(e)}: {model.shape_for(e).metadata['error']['httpStatusCode']},")
    w("    ]")
    w("")
w("    /// Every error shape of the model." if WHOLE_MODEL else "    /// The error shapes of the operations above.")
w(f"    public static let modelErrors: [{PREFIX}ErrorCode] = [")
for e in all_errors:
    w(f"        .{error_ident(e)},")
w("    ]")
w("}")


def query_type(shape):
    if shape.serialization.get("name") or shape.serialization.get("flattened"):
        raise ValueError(f"{shape.name}: XML names and flattened lists are not supported by QueryCoding")
    t = shape.type_name
    if t == "string" or t == "blob":
        return ".string"
    if t in ("integer", "long"):
        return ".integer"
    if t == "boolean":
        return ".boolean"
    if t == "timestamp":
        return ".timestamp"
    if t == "list":
        if shape.member.serialization.get("name"):
            raise ValueError(f"{shape.name}: list member names other than `member` are not supported by QueryCoding")
        return f".list({query_type(shape.member)})"
    if t == "map":
        return f".map({query_type(shape.value)})"
    if t == "structure":
        return f'.structure("{shape_name(shape)}")'
    raise ValueError(t)


if QUERY:
    section("QueryShapes")
    w("/// How the query protocol writes each shape as form parameters and reads it from XML (AWSCore's `QueryCoding`).")
    w(f"public enum {PREFIX}QueryShapes {{")
    w("    public static let schema = QuerySchema(structures: structures)")
    w("")
    w("    // One explicitly typed constant per shape: a single literal of them all is slow to type-check.")
    w("    static let structures: [String: [QuerySchema.Member]] = [")
    for name in sorted(structures):
        w(f'        "{name}": {lower_camel(name)},')
    w("    ]")
    for name in sorted(structures):
        shape = structures[name]
        members = ", ".join(f'QuerySchema.Member("{m}", {query_type(ms)})' for m, ms in shape.members.items())
        w(f"    static let {lower_camel(name)}: [QuerySchema.Member] = [{members}]")
    w("}")
MAX_LINES = 390
MARK = f"// Generated by scripts/generate-wire-shapes.py from the botocore {model.metadata['serviceId']} service model"
HEADER = [MARK, f"// (apiVersion {model.metadata['apiVersion']}, botocore {botocore.__version__}). Do not edit by hand."]
HEADER += ["import AWSCore"] if QUERY else []
HEADER += ["import Foundation", ""]


def chunks(declarations):
    """The declarations cut into runs of at most MAX_LINES lines (a longer declaration alone)."""
    runs, run, size = [], [], 0
    for declaration in declarations:
        if run and size + len(declaration[1]) > MAX_LINES:
            runs.append(run)
            run, size = [], 0
        run.append(declaration)
        size += len(declaration[1])
    return runs + ([run] if run else [])


def body(declarations):
    lines = [line for _, part in declarations for line in part]
    while lines and lines[-1] == "":
        lines.pop()
    return HEADER + lines


files = {}
everything = [declaration for part in sections.values() for declaration in part]
if sum(len(lines) for _, lines in everything) <= MAX_LINES:
    files[f"{PREFIX}Shapes.swift"] = body(everything)
else:
    for name, declarations in sections.items():
        runs = chunks(declarations)
        for run in runs:
            if len(runs) == 1:
                file = f"{PREFIX}{name}.swift"
            else:
                first, last = run[0][0].removeprefix(PREFIX)[:1], run[-1][0].removeprefix(PREFIX)[:1]
                file = f"{PREFIX}{name}+{first}-{last}.swift"
                if file in files:
                    file = f"{PREFIX}{name}+{run[0][0]}.swift"
            files[file] = body(run)

folder = sys.argv[2]
for existing in os.listdir(folder):
    path = os.path.join(folder, existing)
    if existing.endswith(".swift") and existing not in files:
        with open(path, encoding="utf-8") as handle:
            if handle.readline().rstrip("\n") == MARK:
                os.remove(path)
for file, lines in files.items():
    with open(os.path.join(folder, file), "w", encoding="utf-8") as handle:
        handle.write("\n".join(lines) + "\n")

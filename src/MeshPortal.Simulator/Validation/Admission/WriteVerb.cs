namespace MeshPortal.Simulator.Validation.Admission;

/// <summary>How a write reached the store; decides how undeclared fields are reported.</summary>
internal enum WriteVerb
{
    /// <summary>POST, and the simulator's own seeding (no field validation directive).</summary>
    Create,

    /// <summary>PUT.</summary>
    Update,

    /// <summary>PATCH with a merge patch.</summary>
    MergePatch,

    /// <summary>PATCH with application/apply-patch+yaml (server-side apply).</summary>
    Apply,
}

/// <summary>The <c>fieldValidation</c> directive in force for a write.</summary>
internal enum FieldValidation
{
    Ignore,
    Warn,
    Strict,
}

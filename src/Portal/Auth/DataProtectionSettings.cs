using System.ComponentModel.DataAnnotations;

namespace Portal.Auth;

/// <summary>Where the Data Protection key ring lives (section <c>DataProtection</c>); relative paths resolve against the working directory, like the database file.</summary>
public sealed class DataProtectionSettings
{
    public const string SectionName = "DataProtection";

    [Required(ErrorMessage = "DataProtection:KeysPath must not be empty.")]
    public string KeysPath { get; set; } = "data/keys";
}

namespace Footprint.Tests.TestSupport;

/// <summary>The registry tests share one filled registry (<see cref="RegistryFixture"/>).</summary>
[CollectionDefinition(Name)]
public sealed class RegistryCollection : ICollectionFixture<RegistryFixture>
{
    public const string Name = "registry";
}

namespace Footprint.Measures.Running.Container;

/// <summary>One process of the sandbox when its memory was read: host pid, pid inside the sandbox, name (escaped), memory.</summary>
public sealed record ContainerProcess(int Pid, int NsPid, string Comm, SmapsRollup Memory);

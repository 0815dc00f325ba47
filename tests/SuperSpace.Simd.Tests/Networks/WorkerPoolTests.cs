using SuperSpace.Simd.Networks;

namespace SuperSpace.Simd.Tests.Networks;

/// <summary>The training loops' fork–join pool: every item exactly once, per-worker indices in range, errors surface.</summary>
public sealed class WorkerPoolTests
{
    private sealed class CountingJob(int count, int workers) : IParallelJob
    {
        public int[] Hits { get; } = new int[count];

        public int BadWorker { get; private set; } = -1;

        public void Execute(int item, int worker)
        {
            if ((uint)worker >= (uint)workers)
            {
                BadWorker = worker;
            }

            Interlocked.Increment(ref Hits[item]);
            if (item % 7 == 0)
            {
                Thread.SpinWait(2000);
            }
        }
    }

    private sealed class ThrowingJob : IParallelJob
    {
        public void Execute(int item, int worker)
        {
            if (item == 5)
            {
                throw new InvalidOperationException("item 5");
            }
        }
    }

    [TestCase(1)]
    [TestCase(2)]
    [TestCase(4)]
    public void EveryItemRunsExactlyOnceInEveryRun(int workers)
    {
        using var pool = new WorkerPool(workers);
        foreach (int count in new[] { 0, 1, 2, 3, 17, 64, 257 })
        {
            for (int repeat = 0; repeat < 20; repeat++)
            {
                var job = new CountingJob(count, workers);
                pool.Run(count, job);
                Assert.That(job.Hits, Is.All.EqualTo(1), $"count {count}, repeat {repeat}");
                Assert.That(job.BadWorker, Is.EqualTo(-1));
            }
        }
    }

    [Test]
    public void AnExceptionInAnItemSurfacesAndThePoolStaysUsable()
    {
        using var pool = new WorkerPool(3);
        Assert.That(() => pool.Run(40, new ThrowingJob()), Throws.InvalidOperationException.With.Message.EqualTo("item 5"));
        var job = new CountingJob(30, 3);
        pool.Run(30, job);
        Assert.That(job.Hits, Is.All.EqualTo(1));
    }
}

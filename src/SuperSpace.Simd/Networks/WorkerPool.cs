// Allocation-free fork–join over work items 0 … count−1 for the training loops: helpers are pre-built
// IThreadPoolWorkItem objects queued with ThreadPool.UnsafeQueueUserWorkItem (no closure, no Task), items are
// claimed with one Interlocked.Increment each, the caller works too and then waits for the helpers. Which worker
// runs an item never matters for the result: every item writes its own slot, and callers merge slots in item order.
using System.Runtime.ExceptionServices;

namespace SuperSpace.Simd.Networks;

/// <summary>A body run for each item; the worker index (0 … WorkerCount − 1) selects per-worker scratch.</summary>
internal interface IParallelJob
{
    void Execute(int item, int worker);
}

internal sealed class WorkerPool : IDisposable
{
    private readonly Helper[] _helpers;
    private readonly ManualResetEventSlim _done = new(false);
    private IParallelJob? _job;
    private int _count;
    private int _next;
    private int _pending;
    private Exception? _error;

    public WorkerPool(int workerCount)
    {
        WorkerCount = Math.Max(1, workerCount);
        _helpers = new Helper[WorkerCount - 1];
        for (int h = 0; h < _helpers.Length; h++)
        {
            _helpers[h] = new Helper(this, h + 1);
        }
    }

    public int WorkerCount { get; }

    /// <summary>Runs job.Execute(item, worker) for every item in 0 … count − 1 and returns when all are done.</summary>
    public void Run(int count, IParallelJob job)
    {
        int helpers = Math.Min(_helpers.Length, count - 1);
        if (helpers <= 0)
        {
            for (int i = 0; i < count; i++)
            {
                job.Execute(i, 0);
            }

            return;
        }

        _job = job;
        _count = count;
        _next = 0;
        _pending = helpers;
        _error = null;
        _done.Reset();
        for (int h = 0; h < helpers; h++)
        {
            Volatile.Write(ref _helpers[h].State, Helper.Queued);
            ThreadPool.UnsafeQueueUserWorkItem(_helpers[h], preferLocal: false);
        }

        try
        {
            Work(0);
        }
        catch (Exception e)
        {
            Interlocked.CompareExchange(ref _error, e, null);
            Volatile.Write(ref _next, count);
        }
        finally
        {
            // Withdraw the helpers that have not started; wait for the ones that have.
            for (int h = 0; h < helpers; h++)
            {
                if (Interlocked.CompareExchange(ref _helpers[h].State, Helper.Withdrawn, Helper.Queued) == Helper.Queued)
                {
                    Finish();
                }
            }

            _done.Wait();
            _job = null;
        }

        if (_error is not null)
        {
            Exception error = _error;
            _error = null;
            ExceptionDispatchInfo.Throw(error);
        }
    }

    public void Dispose() => _done.Dispose();

    private void Finish()
    {
        if (Interlocked.Decrement(ref _pending) == 0)
        {
            _done.Set();
        }
    }

    private void Work(int worker)
    {
        IParallelJob job = _job!;
        int i;
        while ((i = Interlocked.Increment(ref _next) - 1) < _count)
        {
            job.Execute(i, worker);
        }
    }

    /// <summary>
    /// A helper's state moves once per Run from Queued to Running (it started) or Withdrawn (the caller finished first).
    /// A queue entry that finds any other state is stale (from a run it was withdrawn from) and returns at once; if it
    /// runs after the next Run re-queued the helper, it simply serves that run and the newer entry becomes the stale one.
    /// </summary>
    private sealed class Helper(WorkerPool pool, int worker) : IThreadPoolWorkItem
    {
        public const int Queued = 0;
        public const int Running = 1;
        public const int Withdrawn = 2;

        public int State = Withdrawn;

        public void Execute()
        {
            if (Interlocked.CompareExchange(ref State, Running, Queued) != Queued)
            {
                return;
            }

            try
            {
                pool.Work(worker);
            }
            catch (Exception e)
            {
                Interlocked.CompareExchange(ref pool._error, e, null);
                Volatile.Write(ref pool._next, pool._count);
            }
            finally
            {
                pool.Finish();
            }
        }
    }
}

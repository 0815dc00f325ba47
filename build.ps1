#Requires -PSEdition Core
<#
.SYNOPSIS
    The one entry point: build | test | ci | bench | pack | native | demo | help.
.EXAMPLE
    dotnet tool restore && dotnet pwsh ./build.ps1 test
.EXAMPLE
    dotnet pwsh ./build.ps1 bench -Filter '*MonomialBasis*' -Job short
#>
[CmdletBinding()]
param(
    [Parameter(Position = 0)]
    [ValidateSet('build', 'test', 'ci', 'bench', 'pack', 'native', 'demo', 'help')]
    [string] $Target = 'help',

    # BenchmarkDotNet filter (glob over full benchmark names).
    [string] $Filter = '*',

    # BenchmarkDotNet job: 'short' while tuning, 'default' for committed results.
    [ValidateSet('short', 'default', 'dry')]
    [string] $Job = 'default',

    # Extra arguments passed to the demo / benchmark program.
    [Parameter(ValueFromRemainingArguments = $true)]
    [string[]] $Rest = @()
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
$Root = $PSScriptRoot
$Artifacts = Join-Path $Root 'artifacts'
$Solution = Join-Path $Root 'SuperSpace.Simd.sln'
$TestProject = Join-Path $Root 'tests/SuperSpace.Simd.Tests/SuperSpace.Simd.Tests.csproj'
$BenchProject = Join-Path $Root 'bench/SuperSpace.Simd.Benchmarks/SuperSpace.Simd.Benchmarks.csproj'
$CliProject = Join-Path $Root 'src/SuperSpace.Cli/SuperSpace.Cli.csproj'

function Invoke-Checked {
    param([string] $File, [string[]] $Arguments)
    Write-Host "> $File $($Arguments -join ' ')" -ForegroundColor DarkGray
    & $File @Arguments
    if ($LASTEXITCODE -ne 0) {
        throw "$File exited with code $LASTEXITCODE"
    }
}

function Get-Rid {
    $arch = [System.Runtime.InteropServices.RuntimeInformation]::OSArchitecture.ToString().ToLowerInvariant()
    if ($IsLinux) { return "linux-$arch" }
    if ($IsMacOS) { return "osx-$arch" }
    return "win-$arch"
}

function Invoke-Build {
    Invoke-Checked dotnet @('build', $Solution, '-c', 'Release', '--nologo', '-v', 'minimal')
}

function Invoke-Native {
    $cmake = Get-Command cmake -ErrorAction SilentlyContinue
    if (-not $cmake) {
        throw 'cmake is not installed (Debian: apt-get install cmake libopenblas-dev liblapacke-dev).'
    }
    $rid = Get-Rid
    $buildDir = Join-Path $Artifacts "native-build/$rid"
    $outDir = Join-Path $Artifacts "native/$rid"
    Invoke-Checked cmake @('-S', (Join-Path $Root 'native'), '-B', $buildDir, '-DCMAKE_BUILD_TYPE=Release', "-DSS_OUTPUT_DIR=$outDir")
    Invoke-Checked cmake @('--build', $buildDir, '--config', 'Release', '--parallel')
    Write-Host "native shim: $outDir"
}

# Runs the test project once; returns @{Passed; Failed; Skipped}. $Environment sets variables for that run only.
function Invoke-TestRun {
    param([string] $Name, [string] $TestFilter = '', [hashtable] $Environment = @{})
    $results = Join-Path $Artifacts "test-results/$Name"
    if (Test-Path $results) { Remove-Item -Recurse -Force $results }
    $arguments = @('test', $TestProject, '-c', 'Release', '--no-build', '--nologo',
        '--results-directory', $results, '--logger', "trx;LogFileName=$Name.trx", '--logger', 'console;verbosity=minimal')
    if ($TestFilter) { $arguments += @('--filter', $TestFilter) }

    $saved = @{}
    foreach ($key in $Environment.Keys) {
        $saved[$key] = [Environment]::GetEnvironmentVariable($key)
        [Environment]::SetEnvironmentVariable($key, $Environment[$key])
    }
    try {
        Write-Host "> dotnet $($arguments -join ' ')  [$(($Environment.GetEnumerator() | ForEach-Object { "$($_.Key)=$($_.Value)" }) -join ' ')]" -ForegroundColor DarkGray
        & dotnet @arguments | Out-Host   # to the console, not into this function's return value
        $exit = $LASTEXITCODE
    }
    finally {
        foreach ($key in $saved.Keys) { [Environment]::SetEnvironmentVariable($key, $saved[$key]) }
    }

    $trx = Get-ChildItem -Path $results -Filter '*.trx' -Recurse -ErrorAction SilentlyContinue | Select-Object -First 1
    if (-not $trx) {
        throw "test run '$Name' produced no TRX file (dotnet test exited with $exit)"
    }
    [xml] $doc = Get-Content -Raw $trx.FullName
    $counters = $doc.TestRun.ResultSummary.Counters
    $total = [int] $counters.total
    $passed = [int] $counters.passed
    $failed = [int] $counters.failed + [int] $counters.error + [int] $counters.timeout + [int] $counters.aborted
    $skipped = $total - $passed - $failed
    if ($exit -ne 0 -and $failed -eq 0) {
        # The runner failed without a failing test (crash, abort): count it as a failure.
        $failed = 1
    }
    Write-Host ("[{0}] {1} passed, {2} failed, {3} skipped" -f $Name, $passed, $failed, $skipped)
    return [pscustomobject]@{ Passed = $passed; Failed = $failed; Skipped = $skipped }
}

function Copy-NativeToOutputs {
    # The library project copies artifacts/native/<rid>/ next to every output that references it
    # (see src/SuperSpace.Simd/SuperSpace.Simd.csproj); nothing to do here beyond reporting.
    $rid = Get-Rid
    $native = Join-Path $Artifacts "native/$rid"
    if (Test-Path $native) { Write-Host "native shim found: $native (copied next to the outputs by the build)" }
    else { Write-Host "native shim not built (run './build.ps1 native'); the managed backend will be used" }
}

switch ($Target) {
    'help' {
        @'
usage: dotnet pwsh ./build.ps1 <target> [-Filter PATTERN] [-Job short|default]

  build    Release build of the solution
  test     build, run the whole NUnit suite, print "N passed, N failed, N skipped"
  ci       test, then the [Category("Simd")] tests again with AVX-512, AVX2 and all hardware
           intrinsics disabled; one summary line at the end
  bench    BenchmarkDotNet (-Filter '*Gram*', -Job short|default); reports to bench/results/
  pack     NuGet packages into artifacts/packages
  native   build the native BLAS/LAPACK shim with CMake into artifacts/native/<rid>/
  demo     run the superspace demo
  help     this text
'@ | Write-Host
    }
    'build' {
        Copy-NativeToOutputs
        Invoke-Build
    }
    'native' {
        Invoke-Native
    }
    'test' {
        Copy-NativeToOutputs
        Invoke-Build
        $r = Invoke-TestRun -Name 'all'
        Write-Host ("{0} passed, {1} failed, {2} skipped" -f $r.Passed, $r.Failed, $r.Skipped)
        if ($r.Failed -gt 0) { exit 1 }
    }
    'ci' {
        Copy-NativeToOutputs
        Invoke-Build
        $runs = @()
        $runs += Invoke-TestRun -Name 'all'
        $runs += Invoke-TestRun -Name 'simd-no-avx512' -TestFilter 'TestCategory=Simd' -Environment @{ DOTNET_EnableAVX512 = '0'; DOTNET_EnableAVX512F = '0' }
        $runs += Invoke-TestRun -Name 'simd-no-avx2' -TestFilter 'TestCategory=Simd' -Environment @{ DOTNET_EnableAVX2 = '0'; DOTNET_EnableAVX512F = '0'; DOTNET_EnableAVX512 = '0' }
        $runs += Invoke-TestRun -Name 'simd-scalar' -TestFilter 'TestCategory=Simd' -Environment @{ DOTNET_EnableHWIntrinsic = '0' }
        $passed = ($runs | Measure-Object -Property Passed -Sum).Sum
        $failed = ($runs | Measure-Object -Property Failed -Sum).Sum
        $skipped = ($runs | Measure-Object -Property Skipped -Sum).Sum
        Write-Host ("{0} passed, {1} failed, {2} skipped" -f $passed, $failed, $skipped)
        if ($failed -gt 0) { exit 1 }
    }
    'bench' {
        Copy-NativeToOutputs
        Invoke-Checked dotnet @('build', $BenchProject, '-c', 'Release', '--nologo', '-v', 'minimal')
        $benchOut = Join-Path $Artifacts 'bench'
        $arguments = @('run', '--project', $BenchProject, '-c', 'Release', '--no-build', '--',
            '--filter', $Filter, '--artifacts', $benchOut, '--exporters', 'github')
        if ($Job -ne 'default') { $arguments += @('--job', $Job) }
        $arguments += $Rest
        Invoke-Checked dotnet $arguments
        $resultsDir = Join-Path $Root 'bench/results'
        New-Item -ItemType Directory -Force -Path $resultsDir | Out-Null
        Get-ChildItem -Path (Join-Path $benchOut 'results') -Filter '*-report-github.md' -ErrorAction SilentlyContinue | ForEach-Object {
            $name = $_.Name -replace '^SuperSpace\.Simd\.Benchmarks\.', '' -replace '-report-github\.md$', '.md'
            Copy-Item $_.FullName (Join-Path $resultsDir $name) -Force
            Write-Host "bench/results/$name"
        }
    }
    'pack' {
        Copy-NativeToOutputs
        # ContinuousIntegrationBuild: deterministic source paths (/_/…) in the PDBs; Source Link maps them to the commit.
        Invoke-Checked dotnet @('pack', $Solution, '-c', 'Release', '--nologo', '-o', (Join-Path $Artifacts 'packages'), '-p:ContinuousIntegrationBuild=true')
    }
    'demo' {
        Copy-NativeToOutputs
        Invoke-Checked dotnet @('build', $CliProject, '-c', 'Release', '--nologo', '-v', 'quiet')
        Invoke-Checked dotnet (@('run', '--project', $CliProject, '-c', 'Release', '--no-build', '--', 'demo') + $Rest)
    }
}

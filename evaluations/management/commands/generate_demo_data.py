"""Build a generated province: regions, units, projects and every filing, for scale tests."""

import time

from django.core.management.base import BaseCommand, CommandError

from evaluations.demo_data.province import Spec, existing_regions, generate


class Command(BaseCommand):
    help = (
        "生成演示用的全省数据（默认 90 个区划 × 70 个单位 × 每年 300 个项目 × 10 年）："
        "预算单位、部门整体与重点项目评价（各流程状态都有）、资金明细、指标体系、绩效目标及指标、"
        "绩效监控、绩效自评、第三方评分表和发现的问题。同一 --seed 生成相同的数据。"
        "数据按区划逐个批量写入（bulk_create，每个区划一个事务），不经过业务服务，"
        "因此有意不产生修改历史和流程记录，也不触发信号。"
        "区划代码为 52CCDD（DD 从 21 起）；已存在的区划不会重复写入：只要有一个区划已存在，"
        "命令就拒绝运行并列出这些区划。"
    )

    def add_arguments(self, parser):
        defaults = Spec()
        parser.add_argument("--regions", type=int, default=defaults.regions, help="区划数")
        parser.add_argument("--units", type=int, default=defaults.units, help="每个区划的单位数")
        parser.add_argument(
            "--projects", type=int, default=defaults.projects, help="每个区划每年的重点项目数"
        )
        parser.add_argument("--years", type=int, default=defaults.years, help="年度数")
        parser.add_argument(
            "--first-year", type=int, default=defaults.first_year, help="第一个年度"
        )
        parser.add_argument("--seed", type=int, default=defaults.seed, help="随机种子")

    def handle(self, *args, **options):
        spec = Spec(
            regions=options["regions"],
            units=options["units"],
            projects=options["projects"],
            years=options["years"],
            first_year=options["first_year"],
            seed=options["seed"],
        )
        if not 1 <= spec.regions <= 990:
            raise CommandError("--regions 须在 1–990 之间")
        if spec.units < 3 or spec.projects < 1 or spec.years < 1:
            raise CommandError("--units 至少为 3，--projects 和 --years 至少为 1")
        if not 2000 <= spec.first_year <= 2100 - spec.years:
            raise CommandError("年度须在 2000–2100 之间")
        if present := existing_regions(spec):
            raise CommandError(
                f"以下区划已存在，未写入任何数据：{'、'.join(present[:10])}"
                f"{' 等' if len(present) > 10 else ''}（共 {len(present)} 个）。"
                "请使用一个空数据库，或先删除这些区划的数据。"
            )
        started = time.monotonic()

        def progress(code, counts):
            elapsed = time.monotonic() - started
            self.stdout.write(f"{code}：{sum(counts.values())} 行（已用 {elapsed:.0f} 秒）")

        total = generate(spec, progress)
        for label, count in sorted(total.items()):
            self.stdout.write(f"{label}: {count}")
        elapsed = time.monotonic() - started
        self.stdout.write(f"合计 {sum(total.values())} 行，用时 {elapsed:.1f} 秒")

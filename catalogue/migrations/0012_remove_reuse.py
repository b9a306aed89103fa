from django.db import migrations


class Migration(migrations.Migration):
    """The old one-component, one-organisation reuses, once copied into cases."""

    dependencies = [
        ("catalogue", "0011_reuses_become_cases"),
    ]

    operations = [
        migrations.RemoveField(
            model_name='historicalreuse',
            name='component',
        ),
        migrations.RemoveField(
            model_name='historicalreuse',
            name='history_user',
        ),
        migrations.RemoveField(
            model_name='historicalreuse',
            name='organisation',
        ),
        migrations.RemoveConstraint(
            model_name='reuse',
            name='catalogue_reuse_saving_not_negative',
        ),
        migrations.RemoveConstraint(
            model_name='reuse',
            name='catalogue_reuse_one_per_organisation',
        ),
        migrations.DeleteModel(
            name='HistoricalReuse',
        ),
        migrations.RemoveField(
            model_name='reuse',
            name='component',
        ),
        migrations.RemoveField(
            model_name='reuse',
            name='organisation',
        ),
        migrations.DeleteModel(
            name='Reuse',
        ),
    ]

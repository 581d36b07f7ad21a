import cqo.core.uploads
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('inspection', '0003_lot_list_index'),
    ]

    operations = [
        migrations.AlterField(
            model_name='inspectionattachment',
            name='file',
            field=models.FileField(upload_to='inspection/%Y/%m/', validators=[cqo.core.uploads.validate_upload], verbose_name='file'),
        ),
    ]
